import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { FILE_MIME, MEDIA_TYPES, toMediaView, type GalleryItem, type GalleryQuery, type MediaLimitsView, type MediaView, type Page } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ChatAccessService } from '../chats/chat-access.service.js';
import { NOTIFY, type ChatNotification } from '../common/events/notifications.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, isFiniteNumber, slicePage } from '../common/pagination/cursor.js';
import type { MediaFile } from './media-file.js';
import { MediaRepository } from './media.repository.js';
import { mediaKey } from './media-names.js';
import { MediaPipeline } from './processing/media-pipeline.js';
import type { Processed } from './processing/processed.js';
import { MEDIA_STORAGE, type MediaStorage } from './storage/storage.js';
import type { TempUpload } from './upload/upload-receiver.js';

/** Uploads never sent are removed after this long. */
export const UNATTACHED_TTL_MS = 24 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** Chat media: turning an upload into stored renditions and a row, the gallery, and cleaning up unsent uploads. */
@Injectable()
export class MediaService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MediaService.name);
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly media: MediaRepository,
    private readonly chats: ChatAccessService,
    private readonly pipeline: MediaPipeline,
    @Inject(MEDIA_STORAGE) private readonly storage: MediaStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.sweeper = setInterval(() => void this.sweep(UNATTACHED_TTL_MS).catch((e: unknown) => this.logger.error({ err: e }, 'media sweep failed')), SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  limits(): MediaLimitsView {
    const m = this.config.media;
    return { maxFileBytes: m.maxFileBytes, maxFilesPerMessage: m.maxFilesPerMessage, maxPixels: m.maxPixels, maxVideoSeconds: m.maxVideoSeconds, maxVoiceSeconds: m.maxVoiceSeconds, types: [...MEDIA_TYPES] };
  }

  /** Proves, decodes and stores an upload; it stays the uploader's alone until a send attaches it. */
  upload(ownerId: string, upload: TempUpload): Promise<MediaView> {
    return this.pipeline.process(upload.path, (processed) => this.store(ownerId, upload.name, processed));
  }

  /** Proves and stores a voice recording (Opus in Ogg, with its waveform); the uploader's until sent, like any upload. */
  uploadVoice(ownerId: string, upload: TempUpload): Promise<MediaView> {
    return this.pipeline.voice(upload.path, (processed) => this.store(ownerId, upload.name, processed));
  }

  /**
   * Keeps any file as uploaded, as a document: nothing decodes it, it has no renditions, and it
   * is only ever served as a download (FILE_MIME, `attachment`), so its content never runs here.
   */
  async uploadFile(ownerId: string, upload: TempUpload): Promise<MediaView> {
    const id = randomUUID();
    const key = mediaKey(id, 'original', FILE_MIME);
    const files: Record<string, MediaFile> = { original: { key, mime: FILE_MIME, size: upload.size, width: 0, height: 0 } };
    try {
      await this.storage.put(key, createReadStream(upload.path), { size: upload.size, contentType: FILE_MIME });
      const row = { id, ownerId, kind: 'file' as const, mime: FILE_MIME as typeof FILE_MIME, size: upload.size, width: 0, height: 0,
        durationMs: null, waveform: null, placeholder: '', name: upload.name, files };
      await this.media.insert(row);
      return toMediaView({ ...row, renditions: files });
    } catch (e) {
      await this.removeFiles(files);
      throw e;
    }
  }

  private async store(ownerId: string, name: string, p: Processed): Promise<MediaView> {
    const id = randomUUID();
    const files: Record<string, MediaFile> = {};
    try {
      for (const f of p.files) {
        const key = mediaKey(id, f.name, f.mime);
        await this.storage.put(key, createReadStream(f.path), { size: f.size, contentType: f.mime });
        files[f.name] = { key, mime: f.mime, size: f.size, width: f.width, height: f.height };
      }
      const row = { id, ownerId, kind: p.kind, mime: p.mime, size: files.original.size, width: p.width, height: p.height,
        durationMs: p.durationMs, waveform: p.waveform, placeholder: p.placeholder, name, files };
      await this.media.insert(row);
      return toMediaView({ ...row, renditions: files });
    } catch (e) {
      await this.removeFiles(files);
      throw e;
    }
  }

  async gallery(viewerId: string, chatId: string, q: GalleryQuery): Promise<Page<GalleryItem>> {
    await this.chats.requireMember(viewerId, chatId);
    const after = q.cursor ? decodeCursor<[number, number]>(q.cursor, [isFiniteNumber, isFiniteNumber]) : null;
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const page = slicePage(await this.media.gallery(chatId, after && { seq: after[0], position: after[1] }, q.kind, limit + 1), limit);
    const items = page.rows.map((r) => ({
      media: toMediaView(r.media),
      messageId: r.message_id,
      seq: Number(r.seq),
      senderId: r.sender_id,
      createdAt: r.created_at.toISOString(),
    }));
    const last = page.rows[page.rows.length - 1];
    return { items, nextCursor: page.more ? encodeCursor([Number(last.seq), last.position]) : null };
  }

  /** Removes uploads older than `ageMs` that no message took, files first tried, rows for sure. */
  async sweep(ageMs: number): Promise<number> {
    const stale = await this.media.unattached(new Date(Date.now() - ageMs), 500);
    if (stale.length === 0) return 0;
    const deleted = new Set(await this.media.deleteUnattached(stale.map((s) => s.id)));
    for (const s of stale) if (deleted.has(s.id)) await this.removeFiles(s.files);
    return deleted.size;
  }

  /**
   * "Delete for everyone" takes the photos and videos with it: once the deletion is committed,
   * their rows go and their files are removed from storage (not just hidden).
   */
  @OnEvent(NOTIFY.chat)
  async purgeDeleted(n: ChatNotification): Promise<void> {
    if (n.event.type !== 'message:deleted') return;
    try {
      for (const m of await this.media.deleteOfDeletedMessage(n.event.data.id)) await this.removeFiles(m.files);
    } catch (e) {
      this.logger.warn({ err: e, messageId: n.event.data.id }, 'could not purge the media of a deleted message');
    }
  }

  private async removeFiles(files: Record<string, MediaFile>): Promise<void> {
    for (const f of Object.values(files)) {
      await this.storage.delete(f.key).catch((e: unknown) => this.logger.warn({ err: e, key: f.key }, 'could not delete a media file'));
    }
  }
}
