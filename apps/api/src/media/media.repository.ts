import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { MediaKind, MediaViewSource } from '@app/contracts';
import { modifyReturning } from '../database/sql.js';
import type { MediaFile } from './media-file.js';
import { mediaJsonSql } from './media-view.js';

export interface NewMedia {
  id: string;
  ownerId: string;
  kind: MediaKind;
  mime: string;
  size: number;
  width: number;
  height: number;
  durationMs: number | null;
  waveform: number[] | null;
  placeholder: string;
  name: string;
  files: Record<string, MediaFile>;
}

export interface ServedMedia {
  name: string;
  kind: MediaKind;
  files: Record<string, MediaFile>;
  owner_id: string;
  /** Null until a send attaches it. */
  chat_id: string | null;
  /** Whether the message it was sent with was deleted for everyone. */
  message_deleted: boolean;
}

export interface GalleryRow {
  media: MediaViewSource;
  message_id: string;
  seq: string;
  position: number;
  sender_id: string;
  created_at: Date;
}

export interface GalleryPosition {
  seq: number;
  position: number;
}

/** The one place with media SQL (chat wallpapers aside): uploads, attaching, the gallery, clean-up. */
@Injectable()
export class MediaRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(media: NewMedia): Promise<void> {
    await this.db.query(
      `INSERT INTO media (id, owner_id, kind, mime, size, width, height, duration_ms, waveform, placeholder, name, files)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [media.id, media.ownerId, media.kind, media.mime, media.size, media.width, media.height, media.durationMs,
        media.waveform, media.placeholder, media.name, JSON.stringify(media.files)],
    );
  }

  /** A media row with what decides who may see it (see MediaAccessService.file). */
  async find(id: string): Promise<ServedMedia | null> {
    const rows = (await this.db.query(
      `SELECT md.name, md.kind, md.files, md.owner_id, md.chat_id,
              (md.message_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = md.message_id AND m.deleted_at IS NULL)) AS message_deleted
         FROM media md WHERE md.id = $1`,
      [id],
    )) as ServedMedia[];
    return rows[0] ?? null;
  }

  /**
   * A chat's media, newest message first (and last attachment of a message first); keyset on
   * (seq, position). Without a kind: photos and videos (files and voice messages are listed on their own).
   */
  async gallery(chatId: string, after: GalleryPosition | null, kind: MediaKind | undefined, limit: number): Promise<GalleryRow[]> {
    const params: unknown[] = [chatId, limit, after?.seq ?? '9223372036854775807', after?.position ?? 32767];
    let where = 'md.chat_id = $1 AND md.message_id IS NOT NULL AND (md.seq, md.position) < ($3::bigint, $4::smallint)';
    if (kind) {
      params.push(kind);
      where += ` AND md.kind = $${params.length}`;
    } else {
      where += ` AND md.kind IN ('image', 'video')`;
    }
    return (await this.db.query(
      `SELECT ${mediaJsonSql('md')} AS media, md.message_id, md.seq, md.position, m.sender_id, m.created_at
         FROM media md JOIN messages m ON m.id = md.message_id
        WHERE ${where} AND m.deleted_at IS NULL
        ORDER BY md.seq DESC, md.position DESC LIMIT $2`,
      params,
    )) as GalleryRow[];
  }

  /**
   * Links the sender's own, not yet sent media to a message, in the send's transaction. Returns
   * how many rows it took: fewer than asked means some id was missing, foreign or already sent
   * (the row lock makes a concurrent send of the same media wait, then find it taken).
   */
  async attach(m: EntityManager, ids: string[], link: { ownerId: string; chatId: string; messageId: string; seq: number }): Promise<number> {
    const rows = await modifyReturning<{ id: string }>(
      m,
      `UPDATE media md SET chat_id = $3, message_id = $4, seq = $5, position = x.ord - 1, attached_at = now()
         FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, ord)
        WHERE md.id = x.id AND md.owner_id = $2 AND md.message_id IS NULL
        RETURNING md.id`,
      [ids, link.ownerId, link.chatId, link.messageId, link.seq],
    );
    return rows.length;
  }

  /**
   * Rows for a forwarded message: the media of `fromMessageId` again, owned by the forwarder, with
   * the same stored files; `origin_id` names the upload whose files they share.
   */
  async share(m: EntityManager, fromMessageId: string, link: { ownerId: string; chatId: string; messageId: string; seq: number }): Promise<void> {
    await m.query(
      `INSERT INTO media (id, owner_id, chat_id, message_id, seq, position, kind, mime, size, width, height, duration_ms, waveform,
                          placeholder, name, files, attached_at, origin_id)
       SELECT gen_random_uuid(), $2, $3, $4, $5, position, kind, mime, size, width, height, duration_ms, waveform,
              placeholder, name, files, now(), coalesce(origin_id, id)
         FROM media WHERE message_id = $1`,
      [fromMessageId, link.ownerId, link.chatId, link.messageId, link.seq],
    );
  }

  /** Uploads never sent, older than `before`, oldest first. */
  async unattached(before: Date, limit: number): Promise<{ id: string; files: Record<string, MediaFile> }[]> {
    return (await this.db.query(
      'SELECT id, files FROM media WHERE message_id IS NULL AND created_at < $1 ORDER BY created_at LIMIT $2',
      [before, limit],
    )) as { id: string; files: Record<string, MediaFile> }[];
  }

  /**
   * Deletes the media rows of a message deleted for everyone; returns the files to remove: those
   * no other row shares any more (a forward of it, or the upload a forward came from).
   */
  async deleteOfDeletedMessage(messageId: string): Promise<{ id: string; files: Record<string, MediaFile> }[]> {
    return (await this.db.query(
      `WITH gone AS (
         DELETE FROM media md USING messages m
          WHERE md.message_id = $1 AND m.id = md.message_id AND m.deleted_at IS NOT NULL
          RETURNING md.id, md.files, coalesce(md.origin_id, md.id) AS root)
       SELECT g.id, g.files FROM gone g
        WHERE NOT EXISTS (SELECT 1 FROM media x
                           WHERE (x.id = g.root OR x.origin_id = g.root) AND x.id NOT IN (SELECT id FROM gone))`,
      [messageId],
    )) as { id: string; files: Record<string, MediaFile> }[];
  }

  /** Deletes rows that are still unattached (a send may have taken one meanwhile); returns the ids deleted. */
  async deleteUnattached(ids: string[]): Promise<string[]> {
    const rows = await modifyReturning<{ id: string }>(
      this.db.manager,
      'DELETE FROM media WHERE id = ANY($1::uuid[]) AND message_id IS NULL RETURNING id',
      [ids],
    );
    return rows.map((r) => r.id);
  }
}
