import { Injectable } from '@nestjs/common';
import type { MessageSearchHit, Page } from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import { DEFAULT_PAGE_SIZE, slicePage, timeCursor, timeKeyOf } from '../common/pagination/cursor.js';
import { ChatAccessService } from '../chats/chat-access.service.js';
import { MessageViewsRepository } from './message-views.repository.js';

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
    private readonly access: ChatAccessService,
    private readonly views: MessageViewsRepository,
  ) {}

  async search(userId: string, q: string, opts: { chatId?: string; cursor?: string; limit?: number }): Promise<Page<MessageSearchHit>> {
    const query = prefixQuery(q);
    if (!query) throw DomainError.validation('q', 'empty', 'Type a word to search for');
    if (opts.chatId !== undefined) await this.access.requireMember(userId, opts.chatId);
    const limit = opts.limit ?? DEFAULT_PAGE_SIZE;
    const key = timeKeyOf(opts.cursor);
    const rows = await this.views.search(userId, query, opts.chatId ?? null, key, limit + 1);
    const page = slicePage(rows, limit);
    const hits: MessageSearchHit[] = [];
    for (const r of page.rows) {
      const message = await this.views.byId(r.id);
      if (message) hits.push({ message, chatTitle: r.title ?? '' });
    }
    const last = page.rows[page.rows.length - 1];
    return { items: hits, nextCursor: page.more && last ? timeCursor(last.created_at, last.id) : null };
  }
}
