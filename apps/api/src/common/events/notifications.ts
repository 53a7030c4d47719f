import type { ServerToClientEvents } from '@app/contracts';

/** Domain event names the realtime module turns into socket emissions. */
export const NOTIFY = {
  users: 'notify.users',
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
