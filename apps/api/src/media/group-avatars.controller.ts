import { Controller, Delete, Inject, Param, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { ChatView } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { GroupProfileService } from '../chats/group-profile.service.js';
import { UPLOAD_BODY } from './dto/media.dto.js';
import { ProfileImageStore } from './profile-images.js';
import { UploadReceiver } from './upload/upload-receiver.js';

/**
 * `PUT /api/chats/:chatId/avatar` (multipart field "file"): the group's picture, made by the same
 * pipeline as profile avatars (proven type, stripped, cropped square); `DELETE` removes it.
 * Owner and admins only; members see the change live.
 */
@ApiTags('chats')
@ApiBearerAuth()
@Controller('chats/:chatId/avatar')
export class GroupAvatarsController {
  constructor(
    private readonly profile: GroupProfileService,
    private readonly images: ProfileImageStore,
    private readonly uploads: UploadReceiver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Put()
  @ApiConsumes('multipart/form-data')
  @ApiBody(UPLOAD_BODY)
  async set(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Req() req: Request): Promise<ChatView> {
    // Checked before the upload is read: nobody else's file is processed.
    await this.profile.requireEditor(me.userId, chatId);
    return this.uploads.withUpload(req, me.userId, this.config.media.imageMaxBytes, async (file) => {
      const key = await this.images.store('group-avatars', file.path);
      try {
        const { chat, previous } = await this.profile.setAvatar(me.userId, chatId, key);
        await this.images.remove('group-avatars', previous);
        return chat;
      } catch (e) {
        await this.images.remove('group-avatars', key);
        throw e;
      }
    });
  }

  @Delete()
  async clear(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string): Promise<ChatView> {
    const { chat, previous } = await this.profile.setAvatar(me.userId, chatId, null);
    await this.images.remove('group-avatars', previous);
    return chat;
  }
}
