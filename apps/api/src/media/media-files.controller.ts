import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../common/auth/public.decorator.js';
import { DomainError } from '../common/errors/domain-error.js';
import { isUuid } from '../common/pagination/cursor.js';
import { sendStored } from './http/send-stored.js';
import { MediaAccessService } from './media-access.service.js';
import { ProfileImageStore, type ProfileImageKind } from './profile-images.js';
import { MEDIA_STORAGE, type MediaStorage } from './storage/storage.js';

const PRIVATE = 'private, max-age=3600';
const VARIANT = /^(original|thumb|poster|w\d{2,5})$/;
const PUBLIC_IMMUTABLE = 'public, max-age=31536000, immutable';

function bearerOf(req: Request): string | null {
  return /^Bearer ([\w.-]+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
}

/**
 * Every `GET /api/media/…` file. Profile images (avatars, covers, chat wallpapers) are public
 * files with unguessable names. Chat media need a bearer token or a media key (`?k=`), then the
 * viewer's current right to see that media; the route is @Public only because it does this itself.
 * The literal routes are declared before `:id/:variant` on purpose (the first match wins).
 */
@ApiTags('media')
@Controller('media')
export class MediaFilesController {
  constructor(
    private readonly access: MediaAccessService,
    private readonly profiles: ProfileImageStore,
    @Inject(MEDIA_STORAGE) private readonly storage: MediaStorage,
  ) {}

  @Public()
  @Get('avatars/:file')
  avatar(@Req() req: Request, @Res() res: Response, @Param('file') file: string): Promise<void> {
    return this.profile(req, res, 'avatars', file);
  }

  @Public()
  @Get('group-avatars/:file')
  groupAvatar(@Req() req: Request, @Res() res: Response, @Param('file') file: string): Promise<void> {
    return this.profile(req, res, 'group-avatars', file);
  }

  @Public()
  @Get('covers/:file')
  cover(@Req() req: Request, @Res() res: Response, @Param('file') file: string): Promise<void> {
    return this.profile(req, res, 'covers', file);
  }

  @Public()
  @Get('wallpapers/:file')
  wallpaper(@Req() req: Request, @Res() res: Response, @Param('file') file: string): Promise<void> {
    return this.profile(req, res, 'wallpapers', file);
  }

  @Public()
  @Get(':id/:variant')
  async file(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @Param('variant') variant: string, @Query('k') key?: unknown): Promise<void> {
    // A path that can never name a media file is an unknown route (404), whoever asks.
    if (!isUuid(id) || !VARIANT.test(variant)) throw DomainError.notFound();
    const userId = await this.access.viewer({ token: bearerOf(req), key: typeof key === 'string' ? key : null });
    const found = await this.access.file(userId, id, variant);
    await sendStored(req, res, this.storage, found.file, { filename: found.filename, cacheControl: PRIVATE, disposition: found.download ? 'attachment' : 'inline' });
  }

  private async profile(req: Request, res: Response, kind: ProfileImageKind, name: string): Promise<void> {
    const file = await this.profiles.file(kind, name);
    if (!file) throw DomainError.notFound();
    await sendStored(req, res, this.storage, file, { filename: name, cacheControl: PUBLIC_IMMUTABLE });
  }
}
