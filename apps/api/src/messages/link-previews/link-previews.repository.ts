import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { PreviewSource } from '../message-views.mapper.js';

export interface StoredCard {
  url: string;
  title: string | null;
  description: string | null;
  siteName: string | null;
  image: { data: Buffer; width: number; height: number } | null;
}

export interface CachedRow extends PreviewSource {
  ok: boolean;
  fetched_at: Date;
}

/** Link cards by normalized URL, and which card each message shows. */
@Injectable()
export class LinkPreviewsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async cached(urlKey: string): Promise<CachedRow | null> {
    const [row] = (await this.db.query(
      `SELECT id, ok, url, title, description, site_name AS "siteName", image_width AS width, image_height AS height, fetched_at
         FROM link_previews WHERE url_key = $1`,
      [urlKey],
    )) as CachedRow[];
    return row ?? null;
  }

  /** Stores (or replaces) the card of a URL; null card = a failure, kept so it is not fetched again soon. */
  async store(urlKey: string, url: string, card: StoredCard | null): Promise<CachedRow> {
    const [row] = (await this.db.query(
      `INSERT INTO link_previews (url_key, ok, url, title, description, site_name, image, image_width, image_height, fetched_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
       ON CONFLICT (url_key) DO UPDATE SET ok = EXCLUDED.ok, url = EXCLUDED.url, title = EXCLUDED.title, description = EXCLUDED.description,
         site_name = EXCLUDED.site_name, image = EXCLUDED.image, image_width = EXCLUDED.image_width, image_height = EXCLUDED.image_height, fetched_at = now()
       RETURNING id, ok, url, title, description, site_name AS "siteName", image_width AS width, image_height AS height, fetched_at`,
      [urlKey, card !== null, card?.url ?? url, card?.title ?? null, card?.description ?? null, card?.siteName ?? null,
        card?.image?.data ?? null, card?.image?.width ?? null, card?.image?.height ?? null],
    )) as CachedRow[];
    return row!;
  }

  async image(id: string): Promise<Buffer | null> {
    const [row] = (await this.db.query('SELECT image FROM link_previews WHERE id = $1 AND ok', [id])) as { image: Buffer | null }[];
    return row?.image ?? null;
  }

  /** Attaches a card to a live message unless it has one or its sender removed it; whether it did. */
  async attach(m: EntityManager, messageId: string, previewId: string): Promise<boolean> {
    const rows = (await m.query(
      `INSERT INTO message_previews (message_id, preview_id)
       SELECT id, $2 FROM messages WHERE id = $1 AND deleted_at IS NULL
       ON CONFLICT (message_id) DO NOTHING RETURNING message_id`,
      [messageId, previewId],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Marks a message's preview removed (before or after it arrived); whether a shown card went away. */
  async remove(m: EntityManager, messageId: string): Promise<boolean> {
    const [before] = (await m.query(
      `SELECT mp.removed, lp.ok FROM message_previews mp LEFT JOIN link_previews lp ON lp.id = mp.preview_id WHERE mp.message_id = $1 FOR UPDATE OF mp`,
      [messageId],
    )) as { removed: boolean; ok: boolean | null }[];
    await m.query(
      `INSERT INTO message_previews (message_id, preview_id, removed) VALUES ($1, NULL, true)
       ON CONFLICT (message_id) DO UPDATE SET removed = true`,
      [messageId],
    );
    return before !== undefined && !before.removed && before.ok === true;
  }

  /** The message's sender and chat, if it is a live message of that chat. */
  async message(chatId: string, messageId: string): Promise<{ sender_id: string; text: string | null } | null> {
    const [row] = (await this.db.query(
      'SELECT sender_id, text FROM messages WHERE id = $1 AND chat_id = $2 AND deleted_at IS NULL',
      [messageId, chatId],
    )) as { sender_id: string; text: string | null }[];
    return row ?? null;
  }
}
