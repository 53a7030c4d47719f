import { Injectable } from '@nestjs/common';
import type { ChatKind, MemberRole } from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import { isUuid } from '../common/pagination/cursor.js';
import { ChatsRepository } from './chats.repository.js';

/** The caller's place in a chat, as the read paths need it. */
export interface Membership {
  chatId: string;
  kind: ChatKind;
  role: MemberRole;
  /** The chat's seq when they joined: events before it are not theirs to read. */
  joinedSeq: number;
  /** The chat's current seq. */
  lastSeq: number;
}

/**
 * The one membership check of the read paths (history, catch-up, search, media, gallery,
 * wallpapers). A chat the caller is not in answers exactly like one that does not exist. Writes
 * check membership inside their own statement or transaction instead (the chat log's `next`).
 */
@Injectable()
export class ChatAccessService {
  constructor(private readonly chats: ChatsRepository) {}

  async requireMember(userId: string, chatId: string): Promise<Membership> {
    const row = isUuid(chatId) ? await this.chats.membership(userId, chatId) : null;
    if (!row) throw DomainError.notFound();
    return { chatId, kind: row.kind, role: row.role, joinedSeq: Number(row.joined_seq), lastSeq: Number(row.last_seq) };
  }
}
