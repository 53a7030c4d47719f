import type { SessionClosedReason } from '@app/contracts';

export const AUTH_EVENTS = {
  sessionsClosed: 'auth.sessions-closed',
} as const;

/** Sessions that stopped being valid; their sockets must be closed on every instance. */
export interface SessionsClosedEvent {
  userId: string;
  sessionIds: string[];
  reason: SessionClosedReason;
}
