import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CHAT_LIMITS, type AnyChatEvent, type ChatEventsView, type HistoryView } from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import { MessageViewsRepository } from '../chats/message-views.repository.js';
import { isUuid } from '../common/pagination/cursor.js';

const PAGE = 500;

interface EventRow {
  seq: string;
  type: AnyChatEvent['type'];
  data: AnyChatEvent['data'];
  created_at: Date;
}

/** Catch-up and history: what a member missed (from the event log) and older messages by keyset. */
@Injectable()
export class SyncService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly views: MessageViewsRepository,
  ) {}

  private async member(userId: string, chatId: string): Promise<{ joinedSeq: number; lastSeq: number }> {
    if (!isUuid(chatId)) throw DomainError.notFound();
    const [row] = (await this.db.query(
      `SELECT cm.joined_seq, c.last_seq FROM chat_members cm JOIN chats c ON c.id = cm.chat_id WHERE cm.chat_id = $1 AND cm.user_id = $2`,
      [chatId, userId],
    )) as { joined_seq: string; last_seq: string }[];
    if (!row) throw DomainError.notFound();
    return { joinedSeq: Number(row.joined_seq), lastSeq: Number(row.last_seq) };
  }

  /** Events after `after`, in order; `tooLong` when the log no longer reaches back that far. */
  async eventsAfter(userId: string, chatId: string, after: number): Promise<ChatEventsView> {
    const { joinedSeq, lastSeq } = await this.member(userId, chatId);
    const from = Math.max(after, joinedSeq);
    if (from >= lastSeq) return { events: [], tooLong: false, lastSeq };
    if (lastSeq - from > CHAT_LIMITS.eventWindow) return { events: [], tooLong: true, lastSeq };
    const rows = (await this.db.query(
      'SELECT seq, type, data, created_at FROM chat_events WHERE chat_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [chatId, from, PAGE],
    )) as EventRow[];
    if (rows.length === 0 || Number(rows[0].seq) !== from + 1) return { events: [], tooLong: true, lastSeq };
    const events = rows.map((r) => ({ chatId, seq: Number(r.seq), type: r.type, data: r.data, at: r.created_at.toISOString() }) as AnyChatEvent);
    return { events, tooLong: false, lastSeq };
  }

  async history(userId: string, chatId: string, q: { before?: number; after?: number; limit?: number }): Promise<HistoryView> {
    const { lastSeq } = await this.member(userId, chatId);
    const limit = Math.min(q.limit ?? 50, 100);
    const page = q.after !== undefined
      ? await this.views.after(chatId, q.after, limit + 1)
      : await this.views.before(chatId, q.before ?? lastSeq + 1, limit + 1);
    const hasMore = page.length > limit;
    const items = q.after !== undefined ? page.slice(0, limit) : page.slice(hasMore ? 1 : 0);
    return { items, hasMore };
  }
}
