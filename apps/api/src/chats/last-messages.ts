import type { EntityManager } from 'typeorm';
import type { MessageView } from '@app/contracts';

/**
 * What the chat list needs from the messages module: each chat's last message as its members see
 * it, and the view of a service message the chats module wrote. Declared here and implemented by the messages module (provided globally under
 * LAST_MESSAGES), so chats depends on no module that depends on it.
 */
export interface LastMessages {
  /** The last message of each of these chats that has one, by chat id, as `viewerId` sees it (not one they deleted for themselves). */
  latestIn(chatIds: string[], viewerId: string | null): Promise<Map<string, MessageView>>;
  /** One message as its members see it, read on the caller's transaction (for a service message's event). */
  byId(id: string, m?: EntityManager): Promise<MessageView | null>;
}

export const LAST_MESSAGES = Symbol('LAST_MESSAGES');
