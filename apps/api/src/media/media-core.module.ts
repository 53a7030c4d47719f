import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { MediaPipeline } from './processing/media-pipeline.js';
import { ProfileImageStore } from './profile-images.js';
import { S3Storage } from './storage/s3.storage.js';
import { MEDIA_STORAGE, type MediaStorage } from './storage/storage.js';
import { storageProvider } from './storage/storage.provider.js';
import { UploadReceiver } from './upload/upload-receiver.js';

/**
 * The media plumbing (storage driver, streaming upload receiver, decoding pipeline, profile image
 * store), imported by MediaModule only; it imports no feature.
 */
@Module({
  providers: [storageProvider, MediaPipeline, UploadReceiver, ProfileImageStore],
  exports: [MEDIA_STORAGE, MediaPipeline, UploadReceiver, ProfileImageStore],
})
export class MediaCoreModule implements OnApplicationShutdown {
  constructor(@Inject(MEDIA_STORAGE) private readonly storage: MediaStorage) {}

  onApplicationShutdown(): void {
    if (this.storage instanceof S3Storage) this.storage.destroy();
  }
}
