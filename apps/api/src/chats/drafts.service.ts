import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { CHAT_LIMITS, type DraftView, type SaveDraftRequest } from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import { DRAFT_SENT, type DraftSentEvent } from '../common/events/drafts.js';
import { NOTIFY, notifyUsers } from '../common/events/notifications.js';
import { isUuid } from '../common/pagination/cursor.js';
import { ChatAccessService } from './chat-access.service.js';
import { DraftsRepository, type DraftRow } from './drafts.repository.js';

export function toDraftView(row: DraftRow): DraftView {
  return { chatId: row.chat_id, text: row.text, replyToId: row.reply_to_id, updatedAt: row.updated_at.toISOString() };
}

const cleared = (chatId: string): DraftView => ({ chatId, text: '', replyToId: null, updatedAt: new Date().toISOString() });

/**
 * Drafts kept on the server per user and chat, so the user's other tabs and devices see them live
 * (`draft:changed` to the user's own sockets) and the chat list shows them; a send with `clearDraft` clears them.
 */
@Injectable()
export class DraftsService {
  private readonly logger = new Logger(DraftsService.name);

  constructor(
    private readonly drafts: DraftsRepository,
    private readonly access: ChatAccessService,
    private readonly events: EventEmitter2,
  ) {}

  async save(userId: string, chatId: string, req: SaveDraftRequest): Promise<DraftView> {
    await this.access.requireMember(userId, chatId);
    const text = req.text.replace(/\s+$/u, '');
    if (text.length > CHAT_LIMITS.textMax) throw DomainError.validation('text', 'too_long', 'Draft is too long');
    const replyToId = req.replyToId ?? null;
    if (replyToId !== null && (!isUuid(replyToId) || !(await this.drafts.messageInChat(chatId, replyToId)))) {
      throw DomainError.validation('replyToId', 'not_found', 'The quoted message is not in this chat');
    }
    let view: DraftView;
    if (text.trim() === '' && replyToId === null) {
      await this.drafts.remove(userId, chatId);
      view = cleared(chatId);
    } else {
      view = toDraftView(await this.drafts.save(userId, chatId, text, replyToId));
    }
    this.events.emit(NOTIFY.users, notifyUsers([userId], 'draft:changed', view));
    return view;
  }

  /**
   * A message sent with `clearDraft` ends its sender's draft in that chat (after the send
   * committed, off its path); a send without it runs no statement here.
   */
  @OnEvent(DRAFT_SENT)
  async onSent({ userId, chatId }: DraftSentEvent): Promise<void> {
    try {
      if (await this.drafts.remove(userId, chatId)) this.events.emit(NOTIFY.users, notifyUsers([userId], 'draft:changed', cleared(chatId)));
    } catch (e) {
      this.logger.warn({ err: e }, 'could not clear a draft after a send');
    }
  }
}
