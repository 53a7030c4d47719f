export const PRESENCE_EVENTS = {
  changed: 'presence.changed',
} as const;

/** A user's first socket anywhere opened, or their last one closed. */
export interface PresenceChangedEvent {
  userId: string;
  online: boolean;
  lastSeenAt: string | null;
}
