import { Module } from '@nestjs/common';
import { ChatsModule } from '../chats/chats.module.js';
import { MessagesController } from './messages.controller.js';
import { MessagesGateway } from './messages.gateway.js';
import { MessagesService } from './messages.service.js';
import { MessageWriter } from './message-writer.js';
import { ReactionsService } from './reactions.service.js';
import { ReadService } from './read.service.js';
import { SyncService } from './sync.service.js';
import { SearchController } from './search.controller.js';
import { SearchService } from './search.service.js';

@Module({
  imports: [ChatsModule],
  controllers: [MessagesController, SearchController],
  providers: [MessagesGateway, MessagesService, MessageWriter, ReactionsService, ReadService, SearchService, SyncService],
})
export class MessagesModule {}
