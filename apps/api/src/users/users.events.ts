import type { Audience, MeView } from '@app/contracts';

export const USER_EVENTS = {
  updated: 'user.updated',
  presenceAudienceChanged: 'user.presence-audience-changed',
} as const;

/** privacy.presence changed: who may see the user's presence is now `audience`. */
export interface PresenceAudienceChangedEvent {
  userId: string;
  audience: Audience;
}

export interface UserUpdatedEvent {
  userId: string;
  me: MeView;
}
