import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import sharp from 'sharp';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DomainError } from '../common/errors/domain-error.js';

export type ProfileImageKind = 'avatars' | 'covers';

const SIZES: Record<ProfileImageKind, { small: [number, number]; large: [number, number] }> = {
  avatars: { small: [96, 96], large: [512, 512] },
  covers: { small: [600, 200], large: [1500, 500] },
};
const ACCEPTED = new Set(['jpeg', 'png', 'webp', 'gif']);
export const PROFILE_IMAGE_FILE = /^[0-9a-f-]{36}-(small|large)\.webp$/;

/** Avatars and covers: decoded by sharp (content, not the name), cropped, re-encoded without metadata. */
@Injectable()
export class ProfileImagesService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  dir(kind: ProfileImageKind): string {
    return join(this.config.media.dir, kind);
  }

  async store(kind: ProfileImageKind, input: Buffer): Promise<string> {
    const format = await sharp(input, { limitInputPixels: 50_000_000 })
      .metadata()
      .then((m) => m.format)
      .catch(() => undefined);
    if (!format || !ACCEPTED.has(format)) {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Upload a JPEG, PNG, WebP or GIF image');
    }
    const key = randomUUID();
    await mkdir(this.dir(kind), { recursive: true });
    for (const [size, [width, height]] of Object.entries(SIZES[kind])) {
      const out = await sharp(input, { limitInputPixels: 50_000_000 })
        .rotate()
        .resize(width, height, { fit: 'cover', position: 'attention' })
        .webp({ quality: 82 })
        .toBuffer();
      await writeFile(join(this.dir(kind), `${key}-${size}.webp`), out);
    }
    return key;
  }

  async remove(kind: ProfileImageKind, key: string | null): Promise<void> {
    if (!key) return;
    await Promise.all(
      ['small', 'large'].map((size) => rm(join(this.dir(kind), `${key}-${size}.webp`), { force: true })),
    );
  }
}
