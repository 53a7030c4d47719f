import { twoInstances, type TestApp } from './support/app.js';
import { bearer, register } from './support/factories.js';
import { closeAllSockets, connected, waitForEvent } from './support/sockets.js';
import { befriend, idOf, sendRequest } from './support/social.js';

/** The social graph across two API instances sharing PostgreSQL and Redis (TEST_REDIS_URL). */
describe('friends across two API instances', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    [a, b] = await twoInstances();
  });
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('delivers a request made on one instance, and its acceptance on the other, to both parties', async () => {
    const [alice, bob] = await Promise.all([register(a.http), register(a.http)]);
    const [aliceOnA, bobOnB] = await Promise.all([connected(a.url, alice.token), connected(b.url, bob.token)]);
    const created = Promise.all([
      waitForEvent(bobOnB, 'friend:request-created', (r) => r.direction === 'incoming'),
      waitForEvent(bobOnB, 'counters:changed', (c) => c.friendRequests === 1),
    ]);
    const sent = await sendRequest(a.http, alice, bob);
    expect((await created)[0]).toMatchObject({ id: sent.id, user: { id: idOf(alice) } });
    const friends = waitForEvent(aliceOnA, 'relationship:changed', (p) => p.userId === idOf(bob) && p.relationship === 'friends');
    await b.http.post(`/api/friends/requests/${sent.id}/accept`).set(...bearer(bob.token)).expect(200);
    expect((await friends).user?.id).toBe(idOf(bob));
  });

  it("sees a friend's presence held by the other instance", async () => {
    const [owner, friend] = await Promise.all([register(a.http), register(a.http)]);
    await befriend(a.http, owner, friend);
    const friendOnA = await connected(a.url, friend.token);
    const online = waitForEvent(friendOnA, 'presence:changed', (p) => p.userId === idOf(owner) && p.presence?.online === true);
    await connected(b.url, owner.token);
    await online;
    const seen = await a.http.get(`/api/users/by-username/${owner.request.username}`).set(...bearer(friend.token)).expect(200);
    expect(seen.body.presence).toEqual({ online: true, lastSeenAt: null });
  });
});
