import type { AnyChatEvent, ServerToClientEvents } from '@app/contracts';

/** Domain event names the realtime module turns into socket emissions. */
export const NOTIFY = {
  users: 'notify.users',
  chat: 'notify.chat',
  rooms: 'notify.rooms',
  typing: 'notify.typing',
} as const;

export type ServerEvent = keyof ServerToClientEvents;
export type ServerPayload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>;

/**
 * "Tell these users this": services emit it (after their transaction committed) with a payload
 * already shaped for those recipients; only the realtime emitter knows about sockets.
 */
export interface UsersNotification<E extends ServerEvent = ServerEvent> {
  userIds: string[];
  event: E;
  args: ServerPayload<E>;
}

export function notifyUsers<E extends ServerEvent>(userIds: string[], event: E, ...args: ServerPayload<E>): UsersNotification<E> {
  return { userIds, event, args };
}

/** A committed chat event for every member's sockets (room chat:<id>). */
export interface ChatNotification {
  event: AnyChatEvent;
}

/** Make every socket of these users join or leave a chat's room, on every instance. */
export interface RoomsNotification {
  chatId: string;
  userIds: string[];
  action: 'join' | 'leave';
}

/** Ephemeral: a member is typing; sent to the chat's other members. */
export interface TypingNotification {
  chatId: string;
  userId: string;
}

/** Questions a module asks the realtime module through the event bus (`emitAsync`), answered by its listeners. */
export const ASK = {
  visibleSessions: 'ask.visible-sessions',
} as const;

/** Which sessions have a connected socket whose tab is visible, among a chat's members or these users (any instance). */
export interface VisibleSessionsQuestion {
  chatId: string | null;
  userIds: string[];
  /** Visible at this moment (epoch ms; a tab hidden since still counts), else now. */
  at?: number;
}
