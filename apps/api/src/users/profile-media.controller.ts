import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/auth/public.decorator.js';
import { DomainError } from '../common/errors/domain-error.js';
import { PROFILE_IMAGE_FILE, ProfileImagesService } from './profile-images.service.js';

/** Avatars and covers are public images with unguessable names. */
@ApiTags('media')
@Controller('media')
export class ProfileMediaController {
  constructor(private readonly images: ProfileImagesService) {}

  @Public()
  @Get(':kind/:file')
  serve(@Param('kind') kind: string, @Param('file') file: string, @Res() res: Response): void {
    if ((kind !== 'avatars' && kind !== 'covers') || !PROFILE_IMAGE_FILE.test(file)) throw DomainError.notFound();
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.sendFile(file, {
      root: this.images.dir(kind),
      headers: { 'Content-Type': 'image/webp', 'Cache-Control': 'public, max-age=31536000, immutable' },
      dotfiles: 'deny',
    }, (err) => {
      if (err && !res.headersSent) res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Not found' } });
    });
  }
}
