import type { ServiceAction } from '@app/contracts';

/** An i18n key under `chat.service` and its named parameters: how a service message reads. */
export interface ServiceLine {
  key: string;
  params: Record<string, string>;
}

/**
 * How a service message reads for `meId`. Lines whose subject is me use their own key (`…You`),
 * since other languages change the verb for "you"; a person acted upon who is me is named by
 * `you` (the caller's translation of the object form, "you" / "вас").
 */
export function serviceLine(action: ServiceAction, meId: string, you: string): ServiceLine {
  const mine = action.actor.id === meId;
  const key = (base: string): string => (mine ? `${base}You` : base);
  const actor = action.actor.name;
  const name = (u: { id: string; name: string }): string => (u.id === meId ? you : u.name);
  switch (action.type) {
    case 'group-created':
      return { key: key('created'), params: { actor, title: action.title } };
    case 'group-renamed':
      return { key: key('renamed'), params: { actor, title: action.title } };
    case 'members-added':
      return { key: key('added'), params: { actor, users: action.users.map(name).join(', ') } };
    case 'member-removed':
      return { key: key('removed'), params: { actor, user: name(action.user) } };
    case 'member-left':
      return { key: key('left'), params: { actor } };
    case 'group-photo-changed':
      return { key: key(action.removed ? 'photoRemoved' : 'photo'), params: { actor } };
    case 'role-changed':
      if (action.role === 'owner') return { key: action.user.id === meId ? 'ownerYou' : 'owner', params: { user: action.user.name } };
      return { key: key(action.role === 'admin' ? 'admin' : 'unadmin'), params: { actor, user: name(action.user) } };
  }
}
