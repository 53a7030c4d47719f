import { Module } from '@nestjs/common';
import { ChatsModule } from '../../chats/chats.module.js';
import { LINK_RESOLVER, LinkFetcher } from './link-fetcher.js';
import { LinkPreviewsController } from './link-previews.controller.js';
import { LinkPreviewsGateway } from './link-previews.gateway.js';
import { LinkPreviewsRepository } from './link-previews.repository.js';
import { LinkPreviewsService } from './link-previews.service.js';

/** Server-fetched link cards for messages (see LinkPreviewsService). LINK_RESOLVER null = system DNS. */
@Module({
  imports: [ChatsModule],
  controllers: [LinkPreviewsController],
  providers: [LinkPreviewsRepository, LinkFetcher, LinkPreviewsService, LinkPreviewsGateway, { provide: LINK_RESOLVER, useValue: null }],
})
export class LinkPreviewsModule {}
