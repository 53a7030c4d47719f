import sharp from 'sharp';
import type { ApiErrorBody, Audience, FriendRequestView, FriendView, MeView, Page, UserView } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import {
  MISSING_ID, NOT_FOUND_TEXT, befriend, block, idOf, profileAs, sendRequest, setPrivacy, setProfile,
} from './support/social.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Viewer = 'self' | 'friend' | 'stranger' | 'requester' | 'blocker';

/** An owner with a bio and a cover, and one viewer of each kind. */
async function cast(): Promise<{ owner: Registered; coverUrl: string; viewers: Record<Viewer, Registered>; blockedByOwner: Registered }> {
  const [owner, friend, stranger, requester, blocker, blockedByOwner] = await Promise.all(Array.from({ length: 6 }, () => register(t.http)));
  await setProfile(t.http, owner, { bio: 'my bio' });
  const cover = await sharp({ create: { width: 60, height: 20, channels: 3, background: '#336699' } }).png().toBuffer();
  const me = (await t.http.put('/api/users/me/cover').set(...bearer(owner.token)).attach('file', cover, 'c.png').expect(200)).body as MeView;
  await befriend(t.http, owner, friend);
  await sendRequest(t.http, requester, owner);
  await block(t.http, blocker, owner);
  await block(t.http, owner, blockedByOwner);
  return { owner, coverUrl: me.cover!.small, viewers: { self: owner, friend, stranger, requester, blocker }, blockedByOwner };
}

const expected: Record<Audience, Record<Viewer, { relationship: string; sees: boolean; presence: boolean; canMessage: boolean }>> = {
  everyone: {
    self: { relationship: 'self', sees: true, presence: true, canMessage: false },
    friend: { relationship: 'friends', sees: true, presence: true, canMessage: true },
    stranger: { relationship: 'none', sees: true, presence: true, canMessage: true },
    requester: { relationship: 'request_sent', sees: true, presence: true, canMessage: true },
    blocker: { relationship: 'blocked', sees: true, presence: false, canMessage: false },
  },
  friends: {
    self: { relationship: 'self', sees: true, presence: true, canMessage: false },
    friend: { relationship: 'friends', sees: true, presence: true, canMessage: true },
    stranger: { relationship: 'none', sees: false, presence: false, canMessage: false },
    requester: { relationship: 'request_sent', sees: false, presence: false, canMessage: false },
    blocker: { relationship: 'blocked', sees: false, presence: false, canMessage: false },
  },
  nobody: {
    self: { relationship: 'self', sees: true, presence: true, canMessage: false },
    friend: { relationship: 'friends', sees: false, presence: false, canMessage: false },
    stranger: { relationship: 'none', sees: false, presence: false, canMessage: false },
    requester: { relationship: 'request_sent', sees: false, presence: false, canMessage: false },
    blocker: { relationship: 'blocked', sees: false, presence: false, canMessage: false },
  },
};

describe('profiles per viewer', () => {
  it.each(['everyone', 'friends', 'nobody'] as const)('with every audience "%s"', async (audience) => {
    const { owner, coverUrl, viewers, blockedByOwner } = await cast();
    await setPrivacy(t.http, owner, { profile: audience, presence: audience, message: audience, groupAdd: audience });
    for (const [who, rule] of Object.entries(expected[audience]) as [Viewer, (typeof expected)['everyone']['self']][]) {
      const view = await profileAs(t.http, viewers[who], owner);
      expect({ who, ...view }).toEqual({
        who,
        id: idOf(owner),
        username: owner.request.username,
        displayName: owner.request.displayName,
        avatar: null,
        bio: rule.sees ? 'my bio' : null,
        cover: rule.sees ? expect.objectContaining({ small: coverUrl }) : null,
        presence: rule.presence ? { online: false, lastSeenAt: null } : null,
        relationship: rule.relationship,
        canMessage: rule.canMessage,
        // Adding to groups follows the same audience rules as messaging (here both are `audience`).
        canAddToGroup: rule.canMessage,
        requestId: rule.relationship === 'request_sent' ? expect.stringMatching(/^[0-9a-f-]{36}$/) : null,
      });
    }
    const hidden = await t.http.get(`/api/users/by-username/${owner.request.username}`).set(...bearer(blockedByOwner.token)).expect(404);
    expect(hidden.text).toBe(NOT_FOUND_TEXT);
  });

  it('applies each setting on its own', async () => {
    const [owner, stranger] = await Promise.all([register(t.http), register(t.http)]);
    await setProfile(t.http, owner, { bio: 'visible' });
    await setPrivacy(t.http, owner, { profile: 'everyone', presence: 'nobody', message: 'friends' });
    expect(await profileAs(t.http, stranger, owner)).toMatchObject({ bio: 'visible', presence: null, canMessage: false });
    await setPrivacy(t.http, owner, { profile: 'nobody', presence: 'everyone', message: 'everyone' });
    expect(await profileAs(t.http, stranger, owner)).toMatchObject({ bio: null, presence: { online: false, lastSeenAt: null }, canMessage: true });
  });

  it('finds a profile whatever the case of the username', async () => {
    const [owner, viewer] = await Promise.all([register(t.http), register(t.http)]);
    const res = await t.http.get(`/api/users/by-username/${owner.request.username.toUpperCase()}`).set(...bearer(viewer.token)).expect(200);
    expect((res.body as UserView).id).toBe(idOf(owner));
  });
});

describe('lists show people as the viewer may see them', () => {
  it('hides a stranger’s friends-only details in a request, and shows them once friends', async () => {
    const [me, stranger] = await Promise.all([register(t.http), register(t.http)]);
    await setProfile(t.http, stranger, { bio: 'for friends' });
    await setPrivacy(t.http, stranger, { profile: 'friends', presence: 'friends' });
    const sent = await sendRequest(t.http, stranger, me);
    const incoming = (await t.http.get('/api/friends/requests').set(...bearer(me.token)).expect(200)).body as Page<FriendRequestView>;
    expect(incoming.items[0].user).toMatchObject({ id: idOf(stranger), bio: null, presence: null, relationship: 'request_received' });
    const friend = (await t.http.post(`/api/friends/requests/${sent.id}/accept`).set(...bearer(me.token)).expect(200)).body as FriendView;
    expect(friend.user).toMatchObject({ bio: 'for friends', presence: { online: false, lastSeenAt: null }, relationship: 'friends' });
    const friends = (await t.http.get('/api/friends').set(...bearer(me.token)).expect(200)).body as Page<FriendView>;
    expect(friends.items[0].user).toMatchObject({ bio: 'for friends', relationship: 'friends' });
  });
});

describe('relationships in bulk', () => {
  it('answers each relationship, leaving out unknown users and users who blocked me', async () => {
    const [me, friend, asked, asker, blockedByMe, blocksMe, stranger] = await Promise.all(Array.from({ length: 7 }, () => register(t.http)));
    await befriend(t.http, me, friend);
    await sendRequest(t.http, me, asked);
    await sendRequest(t.http, asker, me);
    await block(t.http, me, blockedByMe);
    await block(t.http, blocksMe, me);
    const all = [me, friend, asked, asker, blockedByMe, blocksMe, stranger].map(idOf);
    const res = await t.http.get('/api/users/relationships').query({ ids: [...all, MISSING_ID].join(',') }).set(...bearer(me.token)).expect(200);
    expect(res.body).toEqual({
      [idOf(me)]: 'self',
      [idOf(friend)]: 'friends',
      [idOf(asked)]: 'request_sent',
      [idOf(asker)]: 'request_received',
      [idOf(blockedByMe)]: 'blocked',
      [idOf(stranger)]: 'none',
    });
  });

  it('accepts repeated and upper-case ids', async () => {
    const [me, other] = await Promise.all([register(t.http), register(t.http)]);
    const res = await t.http.get(`/api/users/relationships?ids=${idOf(other).toUpperCase()}&ids=${idOf(other)}`).set(...bearer(me.token)).expect(200);
    expect(res.body).toEqual({ [idOf(other)]: 'none' });
  });

  it.each([
    ['no ids', ''],
    ['an empty list', '?ids='],
    ['a malformed id', '?ids=abc'],
    ['more than 100 ids', `?ids=${Array.from({ length: 101 }, () => MISSING_ID).join(',')}`],
  ])('refuses %s with 400', async (_name, query) => {
    const me = await register(t.http);
    const res = await t.http.get(`/api/users/relationships${query}`).set(...bearer(me.token)).expect(400);
    expect((res.body as ApiErrorBody).error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'ids' })] });
  });
});
