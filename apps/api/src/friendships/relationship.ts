import type { Audience, PrivacySettings, Relationship } from '@app/contracts';
import type { FriendshipState } from './entities/friendship.entity.js';

/** What lies between a viewer and one other user, as stored. */
export interface PairLink {
  state: FriendshipState | null;
  requesterId: string | null;
  /** The pair's friendship row: the request id while it is pending. */
  friendshipId: string | null;
  /** The viewer blocked the other user. */
  iBlocked: boolean;
  /** The other user blocked the viewer: they are hidden from the viewer. */
  blockedMe: boolean;
}

export const NO_LINK: PairLink = { state: null, requesterId: null, friendshipId: null, iBlocked: false, blockedMe: false };

/** What the viewer may see of, and do with, another user. */
export interface Rules {
  relationship: Relationship;
  /** The other user blocked the viewer: answer as if they did not exist. */
  hidden: boolean;
  details: boolean;
  presence: boolean;
  canMessage: boolean;
  canAddToGroup: boolean;
}

/** The pair in the order the database stores it (uuid order is the order of lowercase hex). */
export function orderedPair(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a];
}

export function relationshipOf(viewerId: string, targetId: string, link: PairLink): Relationship {
  if (viewerId === targetId) return 'self';
  if (link.iBlocked) return 'blocked';
  if (link.state === 'accepted') return 'friends';
  if (link.state === 'pending') return link.requesterId === viewerId ? 'request_sent' : 'request_received';
  return 'none';
}

export function audienceAllows(audience: Audience, relationship: Relationship): boolean {
  if (relationship === 'self') return true;
  if (audience === 'everyone') return true;
  return audience === 'friends' && relationship === 'friends';
}

/**
 * The privacy rules, in one place. Details follow `privacy.profile`; presence follows
 * `privacy.presence` and never crosses a block (either way); messaging follows
 * `privacy.message` and is off across a block (either way) and towards oneself; adding to a
 * group follows `privacy.groupAdd` the same way.
 */
export function rulesFor(viewerId: string, targetId: string, privacy: PrivacySettings, link: PairLink): Rules {
  const relationship = relationshipOf(viewerId, targetId, link);
  const self = relationship === 'self';
  const hidden = !self && link.blockedMe;
  const blocked = !self && (link.blockedMe || link.iBlocked);
  return {
    relationship,
    hidden,
    details: self || (!hidden && audienceAllows(privacy.profile, relationship)),
    presence: self || (!blocked && audienceAllows(privacy.presence, relationship)),
    canMessage: !self && !blocked && audienceAllows(privacy.message, relationship),
    canAddToGroup: !self && !blocked && audienceAllows(privacy.groupAdd, relationship),
  };
}
