import { createReadStream } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ImageView } from '@app/contracts';
import type { MediaFile } from './media-file.js';
import { MediaPipeline } from './processing/media-pipeline.js';
import { MEDIA_STORAGE, type MediaStorage } from './storage/storage.js';

export type ProfileImageKind = 'avatars' | 'covers' | 'wallpapers' | 'group-avatars';

/** The cropped sizes of each kind of profile image (WebP, cropped around what draws attention). */
export const PROFILE_SIZES: Record<ProfileImageKind, { small: [number, number]; large: [number, number] }> = {
  avatars: { small: [96, 96], large: [512, 512] },
  'group-avatars': { small: [96, 96], large: [512, 512] },
  covers: { small: [600, 200], large: [1500, 500] },
  /** A phone held upright, and a desktop window. */
  wallpapers: { small: [1080, 1920], large: [2560, 1440] },
};

export const PROFILE_FILE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-(small|large)\.webp$/;

/** Profile image files are public and immutable: the name is a random uuid, a new image gets a new one. */
export function profileImageView(kind: ProfileImageKind, key: string | null): ImageView | null {
  if (!key) return null;
  return { small: `/api/media/${kind}/${key}-small.webp`, large: `/api/media/${kind}/${key}-large.webp` };
}

const storageKey = (kind: ProfileImageKind, file: string): string => `${kind}/${file}`;

/**
 * Avatars, covers and chat wallpapers: the same proof of type, limits and decoding pool as chat
 * media (so SVG, polyglots and bombs are refused the same way), cropped to fixed sizes, stored
 * through the same storage driver (so they work on S3 and across instances).
 */
@Injectable()
export class ProfileImageStore {
  constructor(
    private readonly pipeline: MediaPipeline,
    @Inject(MEDIA_STORAGE) private readonly storage: MediaStorage,
  ) {}

  /** Crops and stores an uploaded file; returns the new image's key. */
  async store(kind: ProfileImageKind, path: string): Promise<string> {
    const key = randomUUID();
    const crops = Object.entries(PROFILE_SIZES[kind]).map(([name, [width, height]]) => ({ name, width, height }));
    await this.pipeline.crops(path, crops, async (files) => {
      for (const f of files) {
        await this.storage.put(storageKey(kind, `${key}-${f.name}.webp`), createReadStream(f.path), { size: f.size, contentType: f.mime });
      }
    });
    return key;
  }

  async remove(kind: ProfileImageKind, key: string | null): Promise<void> {
    if (!key) return;
    await Promise.all(['small', 'large'].map((size) => this.storage.delete(storageKey(kind, `${key}-${size}.webp`))));
  }

  /** The stored file behind a public profile image name, or null. */
  async file(kind: ProfileImageKind, file: string): Promise<MediaFile | null> {
    if (!PROFILE_FILE.test(file)) return null;
    const key = storageKey(kind, file);
    const stat = await this.storage.stat(key);
    return stat ? { key, mime: 'image/webp', size: stat.size, width: 0, height: 0 } : null;
  }
}
