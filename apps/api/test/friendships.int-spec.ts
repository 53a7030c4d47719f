import { DataSource } from 'typeorm';
import type { ApiErrorBody, FriendRequestView, FriendView, Page } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, registerMany, type Registered } from './support/factories.js';
import { MISSING_ID, NOT_FOUND_TEXT, acceptRequest, befriend, counters, idOf, profileAs, relationshipOf, sendRequest } from './support/social.js';

let t: TestApp;
let db: DataSource;

beforeAll(async () => {
  t = await createTestApp();
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

const users = (n: number): Promise<Registered[]> => registerMany(t.http, n);
const pairRows = (a: Registered, b: Registered): Promise<{ state: string; requester_id: string }[]> =>
  db.query('SELECT state, requester_id FROM friendships WHERE user_low = least($1::uuid, $2::uuid) AND user_high = greatest($1::uuid, $2::uuid)', [idOf(a), idOf(b)]);
const friendsOf = async (u: Registered, query = ''): Promise<Page<FriendView>> =>
  (await t.http.get(`/api/friends${query}`).set(...bearer(u.token)).expect(200)).body as Page<FriendView>;
const requestsOf = async (u: Registered, direction: 'incoming' | 'outgoing', extra = ''): Promise<Page<FriendRequestView>> =>
  (await t.http.get(`/api/friends/requests?direction=${direction}${extra}`).set(...bearer(u.token)).expect(200)).body as Page<FriendRequestView>;
const accept = (u: Registered, id: string) => t.http.post(`/api/friends/requests/${id}/accept`).set(...bearer(u.token));
const decline = (u: Registered, id: string) => t.http.post(`/api/friends/requests/${id}/decline`).set(...bearer(u.token));
const cancel = (u: Registered, id: string) => t.http.delete(`/api/friends/requests/${id}`).set(...bearer(u.token));
const request = (from: Registered, to: Registered) => t.http.post('/api/friends/requests').set(...bearer(from.token)).send({ userId: idOf(to) });

describe('friend requests: every transition', () => {
  it('sends a request both parties see, counted for the addressee only', async () => {
    const [a, b] = await users(2);
    const sent = await sendRequest(t.http, a, b);
    expect(sent).toMatchObject({ direction: 'outgoing', user: { id: idOf(b), relationship: 'request_sent' } });
    expect((await requestsOf(b, 'incoming')).items).toEqual([
      expect.objectContaining({ id: sent.id, direction: 'incoming', user: expect.objectContaining({ id: idOf(a), relationship: 'request_received' }) }),
    ]);
    expect((await requestsOf(a, 'outgoing')).items.map((r) => r.id)).toEqual([sent.id]);
    expect((await requestsOf(a, 'incoming')).items).toEqual([]);
    expect([await counters(t.http, b), await counters(t.http, a)]).toEqual([1, 0]);
    expect([await relationshipOf(t.http, a, b), await relationshipOf(t.http, b, a)]).toEqual(['request_sent', 'request_received']);
    // Both sides' cards carry the request's id, so either can act on it from a profile or a search hit.
    expect([(await profileAs(t.http, a, b)).requestId, (await profileAs(t.http, b, a)).requestId]).toEqual([sent.id, sent.id]);
  });

  it('accepts: both are friends, the request and its count are gone', async () => {
    const [a, b] = await users(2);
    const sent = await sendRequest(t.http, a, b);
    const friend = await acceptRequest(t.http, b, sent.id);
    expect(friend.user).toMatchObject({ id: idOf(a), relationship: 'friends', requestId: null });
    expect((await profileAs(t.http, a, b)).requestId).toBeNull();
    expect(Date.parse(friend.since)).not.toBeNaN();
    expect((await friendsOf(a)).items.map((f) => f.user.id)).toEqual([idOf(b)]);
    expect((await friendsOf(b)).items.map((f) => f.user.id)).toEqual([idOf(a)]);
    expect((await requestsOf(b, 'incoming')).items).toEqual([]);
    expect(await counters(t.http, b)).toBe(0);
    expect(await pairRows(a, b)).toEqual([{ state: 'accepted', requester_id: idOf(a) }]);
  });

  it('declines: the request is gone for both and may be sent again', async () => {
    const [a, b] = await users(2);
    const sent = await sendRequest(t.http, a, b);
    await decline(b, sent.id).expect(204);
    expect((await requestsOf(b, 'incoming')).items).toEqual([]);
    expect((await requestsOf(a, 'outgoing')).items).toEqual([]);
    expect(await counters(t.http, b)).toBe(0);
    expect([await relationshipOf(t.http, a, b), await relationshipOf(t.http, b, a)]).toEqual(['none', 'none']);
    await sendRequest(t.http, a, b);
    expect(await counters(t.http, b)).toBe(1);
  });

  it('cancels: the requester withdraws it', async () => {
    const [a, b] = await users(2);
    const sent = await sendRequest(t.http, a, b);
    await cancel(a, sent.id).expect(204);
    expect((await requestsOf(b, 'incoming')).items).toEqual([]);
    expect(await counters(t.http, b)).toBe(0);
    expect(await pairRows(a, b)).toEqual([]);
  });

  it('unfriends from either side, once', async () => {
    const [a, b] = await users(2);
    await befriend(t.http, a, b);
    await t.http.delete(`/api/friends/${idOf(a)}`).set(...bearer(b.token)).expect(204);
    expect((await friendsOf(a)).items).toEqual([]);
    expect((await friendsOf(b)).items).toEqual([]);
    expect(await relationshipOf(t.http, a, b)).toBe('none');
    const again = await t.http.delete(`/api/friends/${idOf(b)}`).set(...bearer(a.token)).expect(404);
    expect(again.text).toBe(NOT_FOUND_TEXT);
  });

  it('turns a request to someone who already asked me into an acceptance (200 FriendView)', async () => {
    const [a, b] = await users(2);
    await sendRequest(t.http, a, b);
    const res = await request(b, a).expect(200);
    expect(res.body as FriendView).toMatchObject({ user: { id: idOf(a), relationship: 'friends' }, since: expect.any(String) });
    expect(await pairRows(a, b)).toEqual([{ state: 'accepted', requester_id: idOf(a) }]);
    expect([await counters(t.http, a), await counters(t.http, b)]).toEqual([0, 0]);
  });
});

describe('illegal transitions', () => {
  it('refuses a request to myself with 400 and stores nothing', async () => {
    const [a] = await users(1);
    const res = await request(a, a).expect(400);
    expect(res.body).toEqual({
      error: { code: 'VALIDATION_FAILED', message: 'Invalid input', details: [{ field: 'userId', code: 'self', message: 'You cannot send a friend request to yourself' }] },
    });
    expect(await db.query('SELECT 1 FROM friendships WHERE requester_id = $1', [idOf(a)])).toEqual([]);
  });

  it('refuses a second request while one is pending, and one to a friend (409)', async () => {
    const [a, b, c] = await users(3);
    await sendRequest(t.http, a, b);
    expect(((await request(a, b).expect(409)).body as ApiErrorBody).error.code).toBe('CONFLICT');
    await befriend(t.http, a, c);
    await request(a, c).expect(409);
    await request(c, a).expect(409);
    expect(await pairRows(a, b)).toHaveLength(1);
    expect(await counters(t.http, b)).toBe(1);
  });

  it('answers a request to a missing user with the plain 404', async () => {
    const [a] = await users(1);
    const res = await t.http.post('/api/friends/requests').set(...bearer(a.token)).send({ userId: MISSING_ID }).expect(404);
    expect(res.text).toBe(NOT_FOUND_TEXT);
  });

  it.each([
    ['a malformed id', { userId: 'not-a-uuid' }, 'userId'],
    ['no id', {}, 'userId'],
    ['a number', { userId: 42 }, 'userId'],
    ['an unknown field', { userId: MISSING_ID, note: 'hi' }, 'note'],
  ])('refuses %s with 400 and stores nothing', async (_name, body, field) => {
    const [a] = await users(1);
    const res = await t.http.post('/api/friends/requests').set(...bearer(a.token)).send(body).expect(400);
    expect((res.body as ApiErrorBody).error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field })] });
    expect(await db.query('SELECT 1 FROM friendships WHERE requester_id = $1', [idOf(a)])).toEqual([]);
  });

  it("hides another pair's request: a third user's accept, decline and cancel answer exactly like a missing id", async () => {
    const [a, b, c] = await users(3);
    const sent = await sendRequest(t.http, a, b);
    const missing = await accept(c, MISSING_ID).expect(404);
    for (const attempt of [accept(c, sent.id), decline(c, sent.id), cancel(c, sent.id)]) {
      const res = await attempt.expect(404);
      expect(res.text).toBe(missing.text);
      expect(res.text).toBe(NOT_FOUND_TEXT);
    }
    expect((await requestsOf(b, 'incoming')).items.map((r) => r.id)).toEqual([sent.id]);
  });

  it('does not let the requester accept or decline their own request, nor the addressee cancel it', async () => {
    const [a, b] = await users(2);
    const sent = await sendRequest(t.http, a, b);
    expect((await accept(a, sent.id).expect(404)).text).toBe(NOT_FOUND_TEXT);
    expect((await decline(a, sent.id).expect(404)).text).toBe(NOT_FOUND_TEXT);
    expect((await cancel(b, sent.id).expect(404)).text).toBe(NOT_FOUND_TEXT);
    expect(await pairRows(a, b)).toEqual([{ state: 'pending', requester_id: idOf(a) }]);
    expect(await counters(t.http, b)).toBe(1);
  });

  it('answers acting on a finished request with 404', async () => {
    const [a, b, c] = await users(3);
    const accepted = await sendRequest(t.http, a, b);
    await accept(b, accepted.id).expect(200);
    await accept(b, accepted.id).expect(404);
    await decline(b, accepted.id).expect(404);
    await cancel(a, accepted.id).expect(404);
    const cancelled = await sendRequest(t.http, a, c);
    await cancel(a, cancelled.id).expect(204);
    await accept(c, cancelled.id).expect(404);
    expect(await pairRows(a, b)).toEqual([{ state: 'accepted', requester_id: idOf(a) }]);
  });

  it('answers malformed ids like missing ones', async () => {
    const [a] = await users(1);
    for (const res of [
      await accept(a, 'not-a-uuid'),
      await t.http.delete('/api/friends/123').set(...bearer(a.token)),
      await t.http.delete("/api/friends/requests/' OR 1=1").set(...bearer(a.token)),
    ]) {
      expect([res.status, res.text]).toEqual([404, NOT_FOUND_TEXT]);
    }
  });

  it('does not unfriend someone only a pending request away', async () => {
    const [a, b] = await users(2);
    await sendRequest(t.http, a, b);
    await t.http.delete(`/api/friends/${idOf(b)}`).set(...bearer(a.token)).expect(404);
    expect(await pairRows(a, b)).toEqual([{ state: 'pending', requester_id: idOf(a) }]);
  });
});

describe('races', () => {
  const statuses = (rs: { status: number }[]): number[] => rs.map((r) => r.status).sort();

  it('lets exactly one of two simultaneous accepts win', async () => {
    for (let i = 0; i < 4; i += 1) {
      const [a, b] = await users(2);
      const sent = await sendRequest(t.http, a, b);
      expect(statuses(await Promise.all([accept(b, sent.id), accept(b, sent.id)]))).toEqual([200, 404]);
      expect(await pairRows(a, b)).toEqual([{ state: 'accepted', requester_id: idOf(a) }]);
    }
  });

  it('lets exactly one of accept and cancel win, and the state matches the winner', async () => {
    for (let i = 0; i < 4; i += 1) {
      const [a, b] = await users(2);
      const sent = await sendRequest(t.http, a, b);
      const [accepted, cancelled] = await Promise.all([accept(b, sent.id), cancel(a, sent.id)]);
      expect([accepted.status === 200, cancelled.status === 204].filter(Boolean)).toHaveLength(1);
      expect(await pairRows(a, b)).toEqual(accepted.status === 200 ? [{ state: 'accepted', requester_id: idOf(a) }] : []);
      expect(await counters(t.http, b)).toBe(0);
    }
  });

  it('ends crossing requests in one friendship', async () => {
    for (let i = 0; i < 4; i += 1) {
      const [a, b] = await users(2);
      expect(statuses(await Promise.all([request(a, b), request(b, a)]))).toEqual([200, 201]);
      const rows = await pairRows(a, b);
      expect(rows).toHaveLength(1);
      expect(rows[0].state).toBe('accepted');
      expect([await counters(t.http, a), await counters(t.http, b)]).toEqual([0, 0]);
    }
  });

  it('stores one request when the same one is sent twice at once', async () => {
    const [a, b] = await users(2);
    expect(statuses(await Promise.all([request(a, b), request(a, b)]))).toEqual([201, 409]);
    expect(await pairRows(a, b)).toHaveLength(1);
    expect(await counters(t.http, b)).toBe(1);
  });
});

describe('lists and paging', () => {
  it('pages friends newest first without duplicates or gaps', async () => {
    const [me, ...others] = await users(6);
    for (const other of others) await befriend(t.http, other, me);
    const all = (await friendsOf(me, '?limit=100')).items;
    expect(new Set(all.map((f) => f.user.id))).toEqual(new Set(others.map(idOf)));
    const since = all.map((f) => Date.parse(f.since));
    expect([...since].sort((x, y) => y - x)).toEqual(since);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<FriendView> = await friendsOf(me, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((f) => f.user.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((f) => f.user.id));
  });

  it('pages incoming and outgoing requests', async () => {
    const [me, ...senders] = await users(4);
    const sent = [];
    for (const s of senders) sent.push(await sendRequest(t.http, s, me));
    const first = await requestsOf(me, 'incoming', '&limit=2');
    expect(first.items).toHaveLength(2);
    const second = await requestsOf(me, 'incoming', `&limit=2&cursor=${first.nextCursor}`);
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((r) => r.id)).toEqual(sent.map((r) => r.id).reverse());
    expect((await requestsOf(senders[0], 'outgoing')).items.map((r) => r.user.id)).toEqual([idOf(me)]);
    expect((await t.http.get('/api/friends/requests').set(...bearer(me.token)).expect(200)).body.items).toHaveLength(3);
  });

  it.each([
    ['/api/friends?limit=0', 'limit'],
    ['/api/friends?limit=101', 'limit'],
    ['/api/friends?limit=abc', 'limit'],
    ['/api/friends?cursor=!!!', 'cursor'],
    [`/api/friends?cursor=${Buffer.from('["yesterday","x"]').toString('base64url')}`, 'cursor'],
    ['/api/friends?sort=name', 'sort'],
    ['/api/friends/requests?direction=sideways', 'direction'],
    ['/api/blocks?limit=-1', 'limit'],
  ])('refuses %s with a 400 on %s', async (url, field) => {
    const [a] = await users(1);
    const res = await t.http.get(url).set(...bearer(a.token)).expect(400);
    expect((res.body as ApiErrorBody).error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field })] });
  });
});

it('documents the social routes in OpenAPI', async () => {
  const doc = (await t.http.get('/api/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
    '/api/friends', '/api/friends/requests', '/api/friends/requests/{id}/accept', '/api/friends/requests/{id}/decline',
    '/api/friends/requests/{id}', '/api/friends/{userId}', '/api/blocks', '/api/blocks/{userId}', '/api/users/search',
    '/api/users/relationships', '/api/users/by-username/{username}', '/api/me/counters',
  ]));
  expect(Object.keys(doc.paths['/api/friends/requests'].post.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '404', '409']));
});
