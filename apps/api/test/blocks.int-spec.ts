import { DataSource } from 'typeorm';
import type { BlockView, FriendView, Page, UserView } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, registerMany, uniqueName, type Registered } from './support/factories.js';
import {
  MISSING_ID, NOT_FOUND_TEXT, befriend, block, counters, idOf, profileAs, relationshipOf, sendRequest, setProfile,
} from './support/social.js';

let t: TestApp;
let db: DataSource;

beforeAll(async () => {
  t = await createTestApp();
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

const users = (n: number): Promise<Registered[]> => registerMany(t.http, n);
const pairRows = (a: Registered, b: Registered): Promise<unknown[]> =>
  db.query('SELECT 1 FROM friendships WHERE user_low = least($1::uuid, $2::uuid) AND user_high = greatest($1::uuid, $2::uuid)', [idOf(a), idOf(b)]);
const blocksOf = async (u: Registered, query = ''): Promise<Page<BlockView>> =>
  (await t.http.get(`/api/blocks${query}`).set(...bearer(u.token)).expect(200)).body as Page<BlockView>;
const search = async (u: Registered, q: string): Promise<string[]> =>
  ((await t.http.get('/api/users/search').query({ q, limit: 100 }).set(...bearer(u.token)).expect(200)).body as Page<UserView>).items.map((v) => v.id);

describe('blocking', () => {
  it('ends a friendship on both sides', async () => {
    const [a, b] = await users(2);
    await befriend(t.http, a, b);
    await block(t.http, a, b);
    for (const u of [a, b]) {
      expect(((await t.http.get('/api/friends').set(...bearer(u.token)).expect(200)).body as Page<FriendView>).items).toEqual([]);
    }
    expect(await pairRows(a, b)).toEqual([]);
    expect(await relationshipOf(t.http, a, b)).toBe('blocked');
  });

  it.each([
    ['my request to them', (a: Registered, b: Registered) => sendRequest(t.http, a, b), 'b'],
    ['their request to me', (a: Registered, b: Registered) => sendRequest(t.http, b, a), 'a'],
  ] as const)('ends %s and its count', async (_name, makeRequest, addressee) => {
    const [a, b] = await users(2);
    await makeRequest(a, b);
    const who = addressee === 'a' ? a : b;
    expect(await counters(t.http, who)).toBe(1);
    await block(t.http, a, b);
    expect(await counters(t.http, who)).toBe(0);
    expect(await pairRows(a, b)).toEqual([]);
  });

  it('makes the blocker disappear for the blocked user: profile 404 like a missing one, left out of relationships', async () => {
    const [a, b] = await users(2);
    await block(t.http, a, b);
    const hidden = await t.http.get(`/api/users/by-username/${a.request.username}`).set(...bearer(b.token)).expect(404);
    const missing = await t.http.get(`/api/users/by-username/${uniqueName('ghost')}`).set(...bearer(b.token)).expect(404);
    expect(hidden.text).toBe(missing.text);
    expect(hidden.text).toBe(NOT_FOUND_TEXT);
    const rel = await t.http.get('/api/users/relationships').query({ ids: `${idOf(a)},${MISSING_ID}` }).set(...bearer(b.token)).expect(200);
    expect(rel.body).toEqual({});
    const mine = await t.http.get('/api/users/relationships').query({ ids: idOf(b) }).set(...bearer(a.token)).expect(200);
    expect(mine.body).toEqual({ [idOf(b)]: 'blocked' });
  });

  it('stops the blocked user from sending a request (404 like a missing user), and the blocker too', async () => {
    const [a, b] = await users(2);
    await block(t.http, a, b);
    const res = await t.http.post('/api/friends/requests').set(...bearer(b.token)).send({ userId: idOf(a) }).expect(404);
    const missing = await t.http.post('/api/friends/requests').set(...bearer(b.token)).send({ userId: MISSING_ID }).expect(404);
    expect(res.text).toBe(missing.text);
    await t.http.post('/api/friends/requests').set(...bearer(a.token)).send({ userId: idOf(b) }).expect(404);
    expect(await pairRows(a, b)).toEqual([]);
    expect(await counters(t.http, a)).toBe(0);
  });

  it('hides each from the other in search, both ways', async () => {
    const token = uniqueName('blk').replace(/_/g, '');
    const [a, b] = await Promise.all([register(t.http, { displayName: `${token} Blocker` }), register(t.http, { displayName: `${token} Blocked` })]);
    expect(await search(b, token)).toContain(idOf(a));
    await block(t.http, a, b);
    expect(await search(b, token)).not.toContain(idOf(a));
    expect(await search(a, token)).not.toContain(idOf(b));
    expect(await search(b, a.request.username)).not.toContain(idOf(a));
  });

  it('hides presence and messaging both ways, and shows the blocker what they blocked', async () => {
    const [a, b] = await users(2);
    await setProfile(t.http, b, { bio: 'still here' });
    await block(t.http, a, b);
    const seenByBlocker = await profileAs(t.http, a, b);
    expect(seenByBlocker).toMatchObject({ id: idOf(b), relationship: 'blocked', presence: null, canMessage: false, bio: 'still here' });
    await t.http.delete(`/api/blocks/${idOf(b)}`).set(...bearer(a.token)).expect(204);
    await block(t.http, b, a);
    expect(await profileAs(t.http, b, a)).toMatchObject({ relationship: 'blocked', presence: null, canMessage: false });
  });

  it('is idempotent and listed once, newest first, with paging', async () => {
    const [me, x, y, z] = await users(4);
    await block(t.http, me, x);
    await block(t.http, me, x);
    await block(t.http, me, y);
    await block(t.http, me, z);
    const all = await blocksOf(me);
    expect(all.items.map((v) => v.user.id)).toEqual([idOf(z), idOf(y), idOf(x)]);
    expect(all.items[0].user.relationship).toBe('blocked');
    const first = await blocksOf(me, '?limit=2');
    const rest = await blocksOf(me, `?limit=2&cursor=${first.nextCursor}`);
    expect([...first.items, ...rest.items].map((v) => v.user.id)).toEqual([idOf(z), idOf(y), idOf(x)]);
    expect(rest.nextCursor).toBeNull();
  });

  it('lists a user who blocked me back without their details', async () => {
    const [a, b] = await users(2);
    await setProfile(t.http, b, { bio: 'private' });
    await block(t.http, a, b);
    await block(t.http, b, a);
    const [entry] = (await blocksOf(a)).items;
    expect(entry.user).toMatchObject({ id: idOf(b), username: b.request.username, relationship: 'blocked', bio: null, presence: null, canMessage: false });
  });

  it('unblocks once: the pair is strangers again and may befriend', async () => {
    const [a, b] = await users(2);
    await block(t.http, a, b);
    await t.http.delete(`/api/blocks/${idOf(b)}`).set(...bearer(a.token)).expect(204);
    expect((await t.http.delete(`/api/blocks/${idOf(b)}`).set(...bearer(a.token)).expect(404)).text).toBe(NOT_FOUND_TEXT);
    expect(await relationshipOf(t.http, a, b)).toBe('none');
    expect(await relationshipOf(t.http, b, a)).toBe('none');
    await befriend(t.http, b, a);
    expect(await relationshipOf(t.http, a, b)).toBe('friends');
  });

  it('refuses blocking myself (400) and answers a missing or malformed id with 404', async () => {
    const [a] = await users(1);
    const self = await t.http.put(`/api/blocks/${idOf(a)}`).set(...bearer(a.token)).expect(400);
    expect(self.body).toEqual({
      error: { code: 'VALIDATION_FAILED', message: 'Invalid input', details: [{ field: 'userId', code: 'self', message: 'You cannot block yourself' }] },
    });
    expect((await t.http.put(`/api/blocks/${MISSING_ID}`).set(...bearer(a.token)).expect(404)).text).toBe(NOT_FOUND_TEXT);
    expect((await t.http.put('/api/blocks/nope').set(...bearer(a.token)).expect(404)).text).toBe(NOT_FOUND_TEXT);
    expect((await blocksOf(a)).items).toEqual([]);
  });

  it('treats an upper-case id as the same user', async () => {
    const [a, b] = await users(2);
    await t.http.put(`/api/blocks/${idOf(b).toUpperCase()}`).set(...bearer(a.token)).expect(204);
    await t.http.put(`/api/blocks/${idOf(a).toUpperCase()}`).set(...bearer(a.token)).expect(400);
    expect((await blocksOf(a)).items.map((v) => v.user.id)).toEqual([idOf(b)]);
  });
});
