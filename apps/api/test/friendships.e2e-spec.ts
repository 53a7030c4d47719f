import type { FriendRequestView, RelationshipChangedPayload, UserView } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, registerMany, type Registered } from './support/factories.js';
import { closeAllSockets, connected, record, sleep, waitForEvent, type ClientSocket } from './support/sockets.js';
import { befriend, block, counters, idOf, profileAs, sendRequest, setPrivacy, setProfile } from './support/social.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.listen();
});
afterEach(() => closeAllSockets());
afterAll(() => t.close());

const users = (n: number): Promise<Registered[]> => registerMany(t.http, n);
const socketOf = (u: Registered): Promise<ClientSocket> => connected(t.url, u.token);
const relationTo = (socket: ClientSocket, other: Registered, relationship: string): Promise<RelationshipChangedPayload> =>
  waitForEvent(socket, 'relationship:changed', (p) => p.userId === idOf(other) && p.relationship === relationship);
const countersOf = (socket: ClientSocket, n: number): Promise<unknown> => waitForEvent(socket, 'counters:changed', (c) => c.friendRequests === n);

describe('both parties see every change live', () => {
  it('a request and its acceptance, on every tab, with the counter', async () => {
    const [a, b] = await users(2);
    const [a1, a2, b1] = await Promise.all([socketOf(a), socketOf(a), socketOf(b)]);
    const created = Promise.all([
      waitForEvent(b1, 'friend:request-created'), waitForEvent(a1, 'friend:request-created'), waitForEvent(a2, 'friend:request-created'),
      relationTo(b1, a, 'request_received'), relationTo(a1, b, 'request_sent'), countersOf(b1, 1),
    ]);
    const sent = await sendRequest(t.http, a, b);
    const [incoming, outgoing, outgoingOtherTab, bSees] = await created;
    expect(incoming).toMatchObject({ id: sent.id, direction: 'incoming', user: { id: idOf(a), relationship: 'request_received' } });
    expect(outgoing).toMatchObject({ id: sent.id, direction: 'outgoing', user: { id: idOf(b), relationship: 'request_sent' } });
    expect(outgoingOtherTab).toEqual(outgoing);
    expect(bSees.user?.id).toBe(idOf(a));

    const accepted = Promise.all([
      waitForEvent(a1, 'friend:request-removed'), waitForEvent(b1, 'friend:request-removed'),
      relationTo(a1, b, 'friends'), relationTo(b1, a, 'friends'), countersOf(b1, 0),
    ]);
    await t.http.post(`/api/friends/requests/${sent.id}/accept`).set(...bearer(b.token)).expect(200);
    const [removedForA, removedForB, aSeesFriend] = await accepted;
    expect(removedForA).toEqual({ requestId: sent.id, userId: idOf(b) });
    expect(removedForB).toEqual({ requestId: sent.id, userId: idOf(a) });
    expect(aSeesFriend.user).toMatchObject({ id: idOf(b), relationship: 'friends' });
    expect(await counters(t.http, b)).toBe(0);
  });

  it.each([
    ['declined', (a: Registered, b: Registered, id: string) => t.http.post(`/api/friends/requests/${id}/decline`).set(...bearer(b.token)).expect(204)],
    ['cancelled', (a: Registered, _b: Registered, id: string) => t.http.delete(`/api/friends/requests/${id}`).set(...bearer(a.token)).expect(204)],
  ])('a request %s: removed for both, counter back to 0', async (_name, end) => {
    const [a, b] = await users(2);
    const [sa, sb] = await Promise.all([socketOf(a), socketOf(b)]);
    const counted = countersOf(sb, 1);
    const sent = await sendRequest(t.http, a, b);
    await counted;
    const seen = Promise.all([
      waitForEvent(sa, 'friend:request-removed', (p) => p.requestId === sent.id),
      waitForEvent(sb, 'friend:request-removed', (p) => p.requestId === sent.id),
      relationTo(sa, b, 'none'), relationTo(sb, a, 'none'), countersOf(sb, 0),
    ]);
    await end(a, b, sent.id);
    await seen;
  });

  it('an unfriend reaches both', async () => {
    const [a, b] = await users(2);
    await befriend(t.http, a, b);
    const [sa, sb] = await Promise.all([socketOf(a), socketOf(b)]);
    const seen = Promise.all([relationTo(sa, b, 'none'), relationTo(sb, a, 'none')]);
    await t.http.delete(`/api/friends/${idOf(b)}`).set(...bearer(a.token)).expect(204);
    const [aSees, bSees] = await seen;
    expect(aSees.user?.relationship).toBe('none');
    expect(bSees.user?.id).toBe(idOf(a));
  });

  it('a block: the blocker sees "blocked", the blocked user sees the blocker vanish, the request goes', async () => {
    const [a, b] = await users(2);
    const sent = await sendRequest(t.http, b, a);
    const [sa, sb] = await Promise.all([socketOf(a), socketOf(b)]);
    const seen = Promise.all([
      relationTo(sa, b, 'blocked'), relationTo(sb, a, 'none'), countersOf(sa, 0),
      waitForEvent(sb, 'friend:request-removed', (p) => p.requestId === sent.id),
    ]);
    await block(t.http, a, b);
    const [aSees, bSees] = await seen;
    expect(aSees.user).toMatchObject({ id: idOf(b), relationship: 'blocked', presence: null, canMessage: false });
    expect(bSees).toEqual({ userId: idOf(a), relationship: 'none', user: null });
    const unblocked = Promise.all([relationTo(sa, b, 'none'), relationTo(sb, a, 'none')]);
    await t.http.delete(`/api/blocks/${idOf(b)}`).set(...bearer(a.token)).expect(204);
    const [, bSeesAgain] = await unblocked;
    expect(bSeesAgain.user?.id).toBe(idOf(a));
  });

  it('says nothing to bystanders, nor for a refused or repeated action', async () => {
    const [a, b, c] = await users(3);
    const [sa, sb, sc] = await Promise.all([socketOf(a), socketOf(b), socketOf(c)]);
    const bystander = record(sc, 'relationship:changed');
    const aEvents = record(sa, 'relationship:changed');
    const bSees = waitForEvent(sb, 'relationship:changed');
    await block(t.http, a, b);
    await bSees;
    await block(t.http, a, b);
    await t.http.post('/api/friends/requests').set(...bearer(b.token)).send({ userId: idOf(a) }).expect(404);
    await sleep(200);
    expect(bystander).toEqual([]);
    expect(aEvents).toHaveLength(1);
  });
});

describe('socket payloads respect privacy per recipient', () => {
  it('shows friends-only details only once the recipient is a friend', async () => {
    const [owner, stranger] = await users(2);
    await setProfile(t.http, owner, { bio: 'only friends' });
    await setPrivacy(t.http, owner, { profile: 'friends', presence: 'friends' });
    const [so, ss] = await Promise.all([socketOf(owner), socketOf(stranger)]);
    const outgoing = waitForEvent(ss, 'friend:request-created');
    const incoming = waitForEvent(so, 'friend:request-created');
    const sent = await sendRequest(t.http, stranger, owner);
    expect(((await outgoing) as FriendRequestView).user).toMatchObject({ id: idOf(owner), bio: null, presence: null });
    expect((await incoming).user).toMatchObject({ id: idOf(stranger), presence: { online: true, lastSeenAt: null } });
    const friends = relationTo(ss, owner, 'friends');
    await t.http.post(`/api/friends/requests/${sent.id}/accept`).set(...bearer(owner.token)).expect(200);
    expect((await friends).user).toMatchObject({ bio: 'only friends', presence: { online: true, lastSeenAt: null } });
  });
});

describe('presence', () => {
  const onlineAs = (viewer: Registered, owner: Registered): Promise<UserView['presence']> => profileAs(t.http, viewer, owner).then((v) => v.presence);

  it('goes live to friends, with last seen, and not to strangers', async () => {
    const [owner, friend, stranger] = await users(3);
    await befriend(t.http, owner, friend);
    const [sf, ss] = await Promise.all([socketOf(friend), socketOf(stranger)]);
    const strangerSaw = record(ss, 'presence:changed');
    const online = waitForEvent(sf, 'presence:changed', (p) => p.userId === idOf(owner) && p.presence?.online === true);
    const so = await socketOf(owner);
    expect(await online).toEqual({ userId: idOf(owner), presence: { online: true, lastSeenAt: null } });
    expect(await onlineAs(friend, owner)).toEqual({ online: true, lastSeenAt: null });
    const offline = waitForEvent(sf, 'presence:changed', (p) => p.userId === idOf(owner) && p.presence?.online === false);
    so.disconnect();
    const last = await offline;
    expect(Date.parse(last.presence?.lastSeenAt ?? '')).not.toBeNaN();
    expect(await onlineAs(friend, owner)).toEqual({ online: false, lastSeenAt: last.presence?.lastSeenAt });
    await sleep(150);
    expect(strangerSaw).toEqual([]);
  });

  it.each([
    ['friends', true],
    ['nobody', false],
  ] as const)('with privacy.presence "%s", a friend hears = %s', async (audience, hears) => {
    const [owner, friend] = await users(2);
    await befriend(t.http, owner, friend);
    await setPrivacy(t.http, owner, { presence: audience });
    const sf = await socketOf(friend);
    const heard = record(sf, 'presence:changed');
    const [own] = await Promise.all([socketOf(owner), sleep(250)]);
    // A late notice of the audience change itself may arrive too: for "nobody" it carries no presence.
    expect([...new Set(heard.filter((p) => p.presence?.online === true).map((p) => p.userId))]).toEqual(hears ? [idOf(owner)] : []);
    if (!hears) expect(heard.filter((p) => p.presence !== null)).toEqual([]);
    expect(await onlineAs(friend, owner)).toEqual(hears ? { online: true, lastSeenAt: null } : null);
    own.disconnect();
  });

  it('tells friends at once when the owner hides or shows presence again', async () => {
    const [owner, friend] = await users(2);
    await befriend(t.http, owner, friend);
    const sf = await socketOf(friend);
    const online = waitForEvent(sf, 'presence:changed', (p) => p.userId === idOf(owner) && p.presence?.online === true);
    await socketOf(owner);
    await online;
    const hidden = waitForEvent(sf, 'presence:changed', (p) => p.userId === idOf(owner));
    await setPrivacy(t.http, owner, { presence: 'nobody' });
    expect(await hidden).toEqual({ userId: idOf(owner), presence: null });
    expect(await onlineAs(friend, owner)).toBeNull();
    const shown = waitForEvent(sf, 'presence:changed', (p) => p.userId === idOf(owner));
    await setPrivacy(t.http, owner, { presence: 'friends' });
    expect(await shown).toEqual({ userId: idOf(owner), presence: { online: true, lastSeenAt: null } });
  });

  it('never crosses a block', async () => {
    const [owner, former] = await users(2);
    await befriend(t.http, owner, former);
    await block(t.http, owner, former);
    const sf = await socketOf(former);
    const heard = record(sf, 'presence:changed');
    await socketOf(owner);
    await sleep(250);
    expect(heard).toEqual([]);
    expect((await t.http.get(`/api/users/by-username/${former.request.username}`).set(...bearer(owner.token)).expect(200)).body.presence).toBeNull();
  });
});
