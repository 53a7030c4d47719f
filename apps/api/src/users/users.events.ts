import type { MeView } from '@app/contracts';

export const USER_EVENTS = {
  updated: 'user.updated',
} as const;

export interface UserUpdatedEvent {
  userId: string;
  me: MeView;
}
