import { Controller, Get, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { GalleryItem, MediaKeyView, MediaLimitsView, MediaView, Page } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { GalleryQueryDto, UPLOAD_BODY, UploadQueryDto } from './dto/media.dto.js';
import { MediaAccessService } from './media-access.service.js';
import { MediaService } from './media.service.js';
import { UploadReceiver, type TempUpload } from './upload/upload-receiver.js';

@ApiTags('media')
@ApiBearerAuth()
@Controller()
export class MediaController {
  constructor(
    private readonly media: MediaService,
    private readonly access: MediaAccessService,
    private readonly uploads: UploadReceiver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * One photo or video per request (multipart field "file"); 413 over the size limit, 415 for
   * anything not proven an accepted type. With `?as=file`, any file, kept as a document; with
   * `?as=voice`, a voice recording.
   */
  @Post('media')
  @ApiConsumes('multipart/form-data')
  @ApiBody(UPLOAD_BODY)
  upload(@CurrentUser() me: AuthUser, @Req() req: Request, @Query() q: UploadQueryDto): Promise<MediaView> {
    const keep = (file: TempUpload): Promise<MediaView> =>
      q.as === 'file' ? this.media.uploadFile(me.userId, file) : q.as === 'voice' ? this.media.uploadVoice(me.userId, file) : this.media.upload(me.userId, file);
    return this.uploads.withUpload(req, me.userId, this.config.media.maxFileBytes, keep);
  }

  /** A key for `?k=` on media URLs, for elements that cannot send Authorization (see MediaKeyView). */
  @Get('media/key')
  key(@CurrentUser() me: AuthUser): MediaKeyView {
    return this.access.keyFor(me);
  }

  @Get('media/limits')
  limits(): MediaLimitsView {
    return this.media.limits();
  }

  /** The chat's photos and videos, newest first; `kind=voice` lists its voice messages, `kind=file` its files. */
  @Get('chats/:chatId/media')
  gallery(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Query() q: GalleryQueryDto): Promise<Page<GalleryItem>> {
    return this.media.gallery(me.userId, chatId, q);
  }
}
