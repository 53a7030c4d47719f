import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { isExecutable, resolveBinary } from './ffmpeg.js';
import { ImageProcessor, type Crop } from './image.processor.js';
import { inspect, unsupported } from './inspect.js';
import { JobPool } from './job-pool.js';
import type { Processed, Rendition } from './processed.js';
import { isVideo } from './sniff.js';
import { VideoProcessor } from './video.processor.js';
import { VoiceProcessor } from './voice.processor.js';

/** Longest a single file may take to decode (all renditions together). */
const JOB_TIMEOUT_MS = 120_000;

/**
 * Upload → proof of type → decode in the bounded pool → renditions in a private work folder. The
 * folder lives until `use` is done with the files (e.g. has stored them), then it is removed,
 * whatever happened.
 */
@Injectable()
export class MediaPipeline implements OnModuleInit {
  private readonly logger = new Logger(MediaPipeline.name);
  private readonly pool: JobPool;
  private readonly images: ImageProcessor;
  private readonly videos: VideoProcessor;
  private readonly voices: VoiceProcessor;
  private readonly ffmpeg: string;
  private readonly ffprobe: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const { media } = config;
    this.pool = new JobPool(media.workers, media.workers * 8, JOB_TIMEOUT_MS);
    this.images = new ImageProcessor(media);
    this.ffmpeg = resolveBinary('ffmpeg', media.ffmpegPath);
    this.ffprobe = resolveBinary('ffprobe', media.ffprobePath);
    this.videos = new VideoProcessor(this.ffmpeg, this.ffprobe, media);
    this.voices = new VoiceProcessor(this.ffmpeg, this.ffprobe, media);
  }

  onModuleInit(): void {
    for (const bin of [this.ffmpeg, this.ffprobe]) {
      if (!isExecutable(bin)) this.logger.error(`${bin} is not executable: video and voice uploads will fail (set MEDIA_FFMPEG_PATH / MEDIA_FFPROBE_PATH)`);
    }
  }

  /** A file of a chat: an image or a video, with its renditions. */
  async process<T>(path: string, use: (processed: Processed) => Promise<T>): Promise<T> {
    const container = await inspect(path);
    return this.inWorkDir(async (dir) => {
      const processed = await this.pool.run((signal) =>
        isVideo(container) ? this.videos.process(path, container, dir, signal) : this.images.process(path, container, dir),
      );
      return use(processed);
    });
  }

  /** A voice message: a sound recording, stored as Opus in Ogg with its waveform. */
  async voice<T>(path: string, use: (processed: Processed) => Promise<T>): Promise<T> {
    await this.voices.inspect(path);
    return this.inWorkDir(async (dir) => use(await this.pool.run((signal) => this.voices.process(path, dir, signal))));
  }

  /** A profile image (avatar, cover, wallpaper): a still image cropped to each box. */
  async crops<T>(path: string, crops: Crop[], use: (files: Rendition[]) => Promise<T>): Promise<T> {
    const container = await inspect(path);
    if (isVideo(container)) throw unsupported('Upload a JPEG, PNG, WebP or GIF image');
    return this.inWorkDir(async (dir) => use(await this.pool.run(() => this.images.crops(path, container, dir, crops))));
  }

  private async inWorkDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
    await mkdir(this.config.media.tmpDir, { recursive: true });
    const dir = await mkdtemp(join(this.config.media.tmpDir, 'work-'));
    try {
      return await work(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
