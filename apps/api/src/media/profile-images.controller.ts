import { Controller, Delete, Inject, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { MeView } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { UPLOAD_BODY } from './dto/media.dto.js';
import { ProfileImagesService } from './profile-images.service.js';
import { UploadReceiver } from './upload/upload-receiver.js';

/** `PUT /api/users/me/avatar|cover` (multipart field "file", at most UPLOAD_IMAGE_MAX_BYTES) and their removal. */
@ApiTags('users')
@ApiBearerAuth()
@Controller('users/me')
export class ProfileImagesController {
  constructor(
    private readonly images: ProfileImagesService,
    private readonly uploads: UploadReceiver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Put('avatar')
  @ApiConsumes('multipart/form-data')
  @ApiBody(UPLOAD_BODY)
  setAvatar(@CurrentUser() me: AuthUser, @Req() req: Request): Promise<MeView> {
    return this.uploads.withUpload(req, me.userId, this.config.media.imageMaxBytes, (file) => this.images.set(me.userId, 'avatars', file.path));
  }

  @Delete('avatar')
  removeAvatar(@CurrentUser() me: AuthUser): Promise<MeView> {
    return this.images.clear(me.userId, 'avatars');
  }

  @Put('cover')
  @ApiConsumes('multipart/form-data')
  @ApiBody(UPLOAD_BODY)
  setCover(@CurrentUser() me: AuthUser, @Req() req: Request): Promise<MeView> {
    return this.uploads.withUpload(req, me.userId, this.config.media.imageMaxBytes, (file) => this.images.set(me.userId, 'covers', file.path));
  }

  @Delete('cover')
  removeCover(@CurrentUser() me: AuthUser): Promise<MeView> {
    return this.images.clear(me.userId, 'covers');
  }
}
