import { Controller, Delete, Get, Inject, Param, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { ChatWallpaperView } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { ChatWallpapersService } from './chat-wallpapers.service.js';
import { UPLOAD_BODY } from './dto/media.dto.js';
import { UploadReceiver } from './upload/upload-receiver.js';

/** The caller's own wallpaper for a chat (nobody else sees it). */
@ApiTags('media')
@ApiBearerAuth()
@Controller('chats/:chatId/wallpaper')
export class ChatWallpapersController {
  constructor(
    private readonly wallpapers: ChatWallpapersService,
    private readonly uploads: UploadReceiver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  get(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string): Promise<ChatWallpaperView> {
    return this.wallpapers.get(me.userId, chatId);
  }

  @Put()
  @ApiConsumes('multipart/form-data')
  @ApiBody(UPLOAD_BODY)
  set(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Req() req: Request): Promise<ChatWallpaperView> {
    return this.uploads.withUpload(req, me.userId, this.config.media.imageMaxBytes, (file) => this.wallpapers.set(me.userId, chatId, file.path));
  }

  @Delete()
  clear(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string): Promise<ChatWallpaperView> {
    return this.wallpapers.clear(me.userId, chatId);
  }
}
