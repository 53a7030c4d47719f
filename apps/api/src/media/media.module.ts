import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { UsersModule } from '../users/users.module.js';
import { ChatsModule } from '../chats/chats.module.js';
import { MESSAGE_ATTACHMENTS } from '../messages/message-attachments.js';
import { ChatWallpapersController } from './chat-wallpapers.controller.js';
import { ChatWallpapersRepository } from './chat-wallpapers.repository.js';
import { ChatWallpapersService } from './chat-wallpapers.service.js';
import { GroupAvatarsController } from './group-avatars.controller.js';
import { MediaAccessService } from './media-access.service.js';
import { MediaAttachmentsService } from './media-attachments.service.js';
import { MediaCoreModule } from './media-core.module.js';
import { MediaFilesController } from './media-files.controller.js';
import { MediaKeys } from './media-keys.js';
import { MediaController } from './media.controller.js';
import { MediaRepository } from './media.repository.js';
import { MediaService } from './media.service.js';
import { ProfileImagesController } from './profile-images.controller.js';
import { ProfileImagesService } from './profile-images.service.js';

/**
 * Chat media, chat wallpapers, avatars and covers: uploads, files with access checks, the gallery.
 * It depends on auth (bearer tokens on its public file routes), users (where avatar keys live),
 * chats (the read paths' membership check, where group pictures are kept) and its own core. It implements the messages module's
 * MessageAttachments port, provided globally, so messages never import media.
 */
@Global()
@Module({
  imports: [AuthModule, UsersModule, ChatsModule, MediaCoreModule],
  controllers: [MediaController, MediaFilesController, ChatWallpapersController, GroupAvatarsController, ProfileImagesController],
  providers: [MediaService, MediaRepository, MediaAccessService, MediaKeys, MediaAttachmentsService, ChatWallpapersRepository, ChatWallpapersService, ProfileImagesService,
    { provide: MESSAGE_ATTACHMENTS, useExisting: MediaAttachmentsService }],
  exports: [MESSAGE_ATTACHMENTS],
})
export class MediaModule {}
