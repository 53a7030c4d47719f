import { Injectable } from '@nestjs/common';
import type { MessageHistoryView } from '@app/contracts';
import { ChatAccessService } from '../chats/chat-access.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import { isUuid } from '../common/pagination/cursor.js';
import { MessageEditsRepository } from './message-edits.repository.js';
import { MessageViewsRepository } from './message-views.repository.js';

/** A message's versions, for every member of its chat (not only the author). */
@Injectable()
export class EditHistoryService {
  constructor(
    private readonly access: ChatAccessService,
    private readonly views: MessageViewsRepository,
    private readonly edits: MessageEditsRepository,
  ) {}

  /** Oldest first, the current text last; a deleted message has none (404, like a missing one). */
  async history(userId: string, chatId: string, messageId: string): Promise<MessageHistoryView> {
    await this.access.requireMember(userId, chatId);
    const current = isUuid(messageId) ? await this.views.inChat(chatId, messageId) : null;
    if (!current || current.deletedAt || current.text === null) throw DomainError.notFound();
    const earlier = await this.edits.earlier(messageId);
    return { messageId, versions: [...earlier, { text: current.text, entities: current.entities, writtenAt: current.editedAt ?? current.createdAt }] };
  }
}
