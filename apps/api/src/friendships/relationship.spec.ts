import type { PrivacySettings } from '@app/contracts';
import { NO_LINK, orderedPair, relationshipOf, rulesFor, type PairLink } from './relationship.js';

const me = '11111111-1111-4111-8111-111111111111';
const other = '22222222-2222-4222-8222-222222222222';
const open: PrivacySettings = { profile: 'everyone', search: 'everyone', message: 'everyone', presence: 'everyone', groupAdd: 'everyone', forwards: 'everyone' };
const friendsOnly: PrivacySettings = { profile: 'friends', search: 'friends', message: 'friends', presence: 'friends', groupAdd: 'friends', forwards: 'friends' };
const closed: PrivacySettings = { profile: 'nobody', search: 'nobody', message: 'nobody', presence: 'nobody', groupAdd: 'nobody', forwards: 'nobody' };
const link = (over: Partial<PairLink>): PairLink => ({ ...NO_LINK, ...over });

describe('relationships', () => {
  it.each([
    ['none', NO_LINK, 'none'],
    ['accepted', link({ state: 'accepted', requesterId: other }), 'friends'],
    ['my pending request', link({ state: 'pending', requesterId: me }), 'request_sent'],
    ['their pending request', link({ state: 'pending', requesterId: other }), 'request_received'],
    ['my block', link({ iBlocked: true }), 'blocked'],
    ['their block (hidden, not "blocked")', link({ blockedMe: true }), 'none'],
  ] as const)('%s → %s', (_name, l, expected) => {
    expect(relationshipOf(me, other, l)).toBe(expected);
  });

  it('knows oneself whatever is stored', () => {
    expect(relationshipOf(me, me, link({ iBlocked: true }))).toBe('self');
  });

  it('orders a pair like the database', () => {
    expect(orderedPair(other, me)).toEqual([me, other]);
    expect(orderedPair(me, other)).toEqual([me, other]);
  });
});

describe('privacy rules per viewer', () => {
  const friends = link({ state: 'accepted', requesterId: me });
  it.each([
    ['stranger, open', open, NO_LINK, { details: true, presence: true, canMessage: true, canAddToGroup: true, hidden: false }],
    ['stranger, friends-only', friendsOnly, NO_LINK, { details: false, presence: false, canMessage: false, canAddToGroup: false, hidden: false }],
    ['friend, friends-only', friendsOnly, friends, { details: true, presence: true, canMessage: true, canAddToGroup: true, hidden: false }],
    ['friend, nobody', closed, friends, { details: false, presence: false, canMessage: false, canAddToGroup: false, hidden: false }],
    ['I blocked them, open', open, link({ iBlocked: true }), { details: true, presence: false, canMessage: false, canAddToGroup: false, hidden: false }],
    ['they blocked me, open', open, link({ blockedMe: true }), { details: false, presence: false, canMessage: false, canAddToGroup: false, hidden: true }],
    ['pending request, friends-only', friendsOnly, link({ state: 'pending', requesterId: me }), { details: false, presence: false, canMessage: false, hidden: false }],
    ['stranger, open messages but groups only from friends', { ...open, groupAdd: 'friends' }, NO_LINK, { canMessage: true, canAddToGroup: false }],
    ['friend, closed messages but groups from everyone', { ...closed, groupAdd: 'everyone' }, friends, { canMessage: false, canAddToGroup: true }],
  ] as const)('%s', (_name, privacy, l, expected) => {
    expect(rulesFor(me, other, privacy, l)).toMatchObject(expected);
  });

  it('shows everything to oneself, even with "nobody"', () => {
    expect(rulesFor(me, me, closed, NO_LINK)).toEqual({ relationship: 'self', hidden: false, details: true, presence: true, canMessage: false, canAddToGroup: false });
  });
});
