import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { MessageSearchHit, Page } from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import { DEFAULT_PAGE_SIZE, isUuid, slicePage, timeCursor, timeKeyOf } from '../common/pagination/cursor.js';
import { MessageViewsRepository } from '../chats/message-views.repository.js';

/** Words (letters and digits of any script) turned into an all-prefixes tsquery: "hel wor" → hel:* & wor:*. */
export function prefixQuery(q: string): string | null {
  const words = q.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const terms = words.slice(0, 8).map((w) => `${w.slice(0, 64)}:*`);
  return terms.length ? terms.join(' & ') : null;
}

/** Full-text search over the messages of the caller's chats (PostgreSQL tsvector, keyset-paged). */
@Injectable()
export class SearchService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly views: MessageViewsRepository,
  ) {}

  async search(userId: string, q: string, opts: { chatId?: string; cursor?: string; limit?: number }): Promise<Page<MessageSearchHit>> {
    const query = prefixQuery(q);
    if (!query) throw DomainError.validation('q', 'empty', 'Type a word to search for');
    if (opts.chatId !== undefined && !isUuid(opts.chatId)) throw DomainError.notFound();
    const limit = opts.limit ?? DEFAULT_PAGE_SIZE;
    const key = timeKeyOf(opts.cursor);
    const rows = (await this.db.query(
      `SELECT m.id, m.created_at, c.kind, coalesce(cm.custom_name, c.title) AS title
         FROM chat_members cm
         JOIN messages m ON m.chat_id = cm.chat_id
         JOIN chats c ON c.id = cm.chat_id
        WHERE cm.user_id = $1 AND ($2::uuid IS NULL OR cm.chat_id = $2)
          AND m.deleted_at IS NULL AND m.search @@ to_tsquery('simple', $3)
          AND (m.created_at, m.id) < ($4::timestamptz, $5::uuid)
        ORDER BY m.created_at DESC, m.id DESC LIMIT $6`,
      [userId, opts.chatId ?? null, query, key.at, key.id, limit + 1],
    )) as { id: string; created_at: Date; kind: string; title: string | null }[];
    if (opts.chatId && rows.length === 0 && !(await this.isMember(userId, opts.chatId))) throw DomainError.notFound();
    const page = slicePage(rows, limit);
    const hits: MessageSearchHit[] = [];
    for (const r of page.rows) {
      const message = await this.views.byId(r.id);
      if (message) hits.push({ message, chatTitle: r.title ?? '' });
    }
    const last = page.rows[page.rows.length - 1];
    return { items: hits, nextCursor: page.more && last ? timeCursor(last.created_at, last.id) : null };
  }

  private async isMember(userId: string, chatId: string): Promise<boolean> {
    const rows = (await this.db.query('SELECT 1 FROM chat_members WHERE chat_id = $1 AND user_id = $2', [chatId, userId])) as unknown[];
    return rows.length > 0;
  }
}
