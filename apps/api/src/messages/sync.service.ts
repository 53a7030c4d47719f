import { Injectable } from '@nestjs/common';
import { CHAT_LIMITS, type AnyChatEvent, type ChatEventsView, type HistoryView } from '@app/contracts';
import { ChatAccessService } from '../chats/chat-access.service.js';
import { ChatLogRepository } from '../chats/chat-log.repository.js';
import { MessageViewsRepository } from './message-views.repository.js';
import { MessageHidesService } from './message-hides.service.js';

const PAGE = 500;

/** Catch-up and history: what a member missed (from the event log) and older messages by keyset. */
@Injectable()
export class SyncService {
  constructor(
    private readonly access: ChatAccessService,
    private readonly log: ChatLogRepository,
    private readonly views: MessageViewsRepository,
    private readonly hides: MessageHidesService,
  ) {}

  /** Events after `after`, in order; `tooLong` when the log no longer reaches back that far. */
  async eventsAfter(userId: string, chatId: string, after: number): Promise<ChatEventsView> {
    const { joinedSeq, lastSeq } = await this.access.requireMember(userId, chatId);
    const from = Math.max(after, joinedSeq);
    if (from >= lastSeq) return { events: [], tooLong: false, lastSeq };
    if (lastSeq - from > CHAT_LIMITS.eventWindow) return { events: [], tooLong: true, lastSeq };
    const rows = await this.log.after(chatId, from, PAGE);
    if (rows.length === 0 || Number(rows[0].seq) !== from + 1) return { events: [], tooLong: true, lastSeq };
    const events = rows.map((r) => ({ chatId, seq: Number(r.seq), type: r.type, data: r.data, at: r.created_at.toISOString() }) as AnyChatEvent);
    return { events, tooLong: false, lastSeq, hidden: await this.hides.hiddenIn(userId, events) };
  }

  async history(userId: string, chatId: string, q: { before?: number; after?: number; limit?: number }): Promise<HistoryView> {
    const { lastSeq } = await this.access.requireMember(userId, chatId);
    const limit = Math.min(q.limit ?? 50, 100);
    const page = q.after !== undefined
      ? await this.views.after(chatId, q.after, limit + 1, userId)
      : await this.views.before(chatId, q.before ?? lastSeq + 1, limit + 1, userId);
    const hasMore = page.length > limit;
    const items = q.after !== undefined ? page.slice(0, limit) : page.slice(hasMore ? 1 : 0);
    return { items, hasMore };
  }
}
