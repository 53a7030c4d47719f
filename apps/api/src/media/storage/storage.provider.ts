import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { LocalStorage } from './local.storage.js';
import { S3Storage } from './s3.storage.js';
import { MEDIA_STORAGE, type MediaStorage } from './storage.js';

/** The S3 driver when S3_BUCKET is set, local disk under DATA_DIR/media otherwise. */
export function createStorage(config: AppConfig): MediaStorage {
  return config.media.s3 ? new S3Storage(config.media.s3) : new LocalStorage(config.media.dir);
}

export const storageProvider: Provider = {
  provide: MEDIA_STORAGE,
  inject: [APP_CONFIG],
  useFactory: createStorage,
};
