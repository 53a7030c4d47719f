import { DataSource } from 'typeorm';
import type { ApiErrorBody, ChatEventsView, ChatView, MemberView, Page } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { openChat, sendMessage } from './support/chats.js';

let t: TestApp;
let db: DataSource;

beforeAll(async () => {
  t = await createTestApp();
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

const MISSING = '00000000-0000-4000-8000-000000000000';

describe('dialogs', () => {
  it('opens the one dialog of a pair from either side, even when both race', async () => {
    const a = await register(t.http);
    const b = await register(t.http);
    const [x, y] = await Promise.all([
      openChat(t.http, a.token, [b.auth.user.id]),
      openChat(t.http, b.token, [a.auth.user.id]),
    ]);
    expect(x.id).toBe(y.id);
    expect(x.kind).toBe('direct');
    expect(x.peer?.id).toBe(b.auth.user.id);
    expect(y.title).toBe(a.auth.user.displayName);
    const again = await t.http.post('/api/chats').set(...bearer(a.token)).send({ userIds: [b.auth.user.id] }).expect(200);
    expect((again.body as ChatView).id).toBe(x.id);
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM chats WHERE direct_key = $1`, [[a.auth.user.id, b.auth.user.id].sort().join(':')])) as { n: number }[];
    expect(n).toBe(1);
  });

  it('refuses a dialog with yourself or a missing user like a missing one', async () => {
    const a = await register(t.http);
    const self = await t.http.post('/api/chats').set(...bearer(a.token)).send({ userIds: [a.auth.user.id] }).expect(400);
    expect((self.body as ApiErrorBody).error.details?.[0].field).toBe('userIds');
    const missing = await t.http.post('/api/chats').set(...bearer(a.token)).send({ userIds: [MISSING] }).expect(404);
    expect(missing.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Not found' } });
  });

  it('refuses a dialog with someone who accepts messages from nobody', async () => {
    const a = await register(t.http);
    const b = await register(t.http);
    await t.http.patch('/api/users/me/privacy').set(...bearer(b.token)).send({ message: 'nobody' }).expect(200);
    await t.http.post('/api/chats').set(...bearer(a.token)).send({ userIds: [b.auth.user.id] }).expect(403);
  });

  it('keeps a personal name for the dialog', async () => {
    const a = await register(t.http);
    const b = await register(t.http);
    const chat = await openChat(t.http, a.token, [b.auth.user.id]);
    const named = await t.http.patch(`/api/chats/${chat.id}/me`).set(...bearer(a.token)).send({ customName: 'Bestie' }).expect(200);
    expect((named.body as ChatView).title).toBe('Bestie');
    const theirs = await t.http.get(`/api/chats/${chat.id}`).set(...bearer(b.token)).expect(200);
    expect((theirs.body as ChatView).title).toBe(a.auth.user.displayName);
  });
});

describe('groups', () => {
  let owner: Registered;
  let alice: Registered;
  let bob: Registered;
  let group: ChatView;

  beforeAll(async () => {
    [owner, alice, bob] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
    group = await openChat(t.http, owner.token, [alice.auth.user.id, bob.auth.user.id], 'Team');
  });

  it('creates a group with a title and the creator as owner', async () => {
    expect(group).toMatchObject({ kind: 'group', title: 'Team', memberCount: 3, myRole: 'owner' });
    const members = (await t.http.get(`/api/chats/${group.id}/members`).set(...bearer(alice.token)).expect(200)).body as MemberView[];
    expect(members.map((m) => [m.user.id, m.role])).toEqual(
      expect.arrayContaining([[owner.auth.user.id, 'owner'], [alice.auth.user.id, 'member'], [bob.auth.user.id, 'member']]),
    );
  });

  it('needs a title for several people', async () => {
    const res = await t.http.post('/api/chats').set(...bearer(owner.token)).send({ userIds: [alice.auth.user.id, bob.auth.user.id] }).expect(400);
    expect((res.body as ApiErrorBody).error.details?.[0].field).toBe('title');
  });

  it('lets admins rename and members not', async () => {
    await t.http.patch(`/api/chats/${group.id}`).set(...bearer(alice.token)).send({ title: 'Mine now' }).expect(403);
    await t.http.patch(`/api/chats/${group.id}/members/${alice.auth.user.id}`).set(...bearer(owner.token)).send({ role: 'admin' }).expect(200);
    const renamed = await t.http.patch(`/api/chats/${group.id}`).set(...bearer(alice.token)).send({ title: 'Team Ω' }).expect(200);
    expect((renamed.body as ChatView).title).toBe('Team Ω');
    await t.http.patch(`/api/chats/${group.id}`).set(...bearer(alice.token)).send({ title: '   ' }).expect(400);
  });

  it('adds and removes members; the removed one gets 404 afterwards', async () => {
    const carol = await register(t.http);
    await t.http.post(`/api/chats/${group.id}/members`).set(...bearer(bob.token)).send({ userIds: [carol.auth.user.id] }).expect(403);
    await t.http.post(`/api/chats/${group.id}/members`).set(...bearer(owner.token)).send({ userIds: [carol.auth.user.id] }).expect(201);
    await sendMessage(t.http, carol.token, group.id, 'hi all');
    await t.http.delete(`/api/chats/${group.id}/members/${carol.auth.user.id}`).set(...bearer(bob.token)).expect(403);
    await t.http.delete(`/api/chats/${group.id}/members/${carol.auth.user.id}`).set(...bearer(owner.token)).expect(204);
    for (const path of ['', '/messages', '/events?after=0', '/members']) {
      const res = await t.http.get(`/api/chats/${group.id}${path}`).set(...bearer(carol.token)).expect(404);
      expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Not found' } });
    }
    await t.http.post(`/api/chats/${group.id}/messages`).set(...bearer(carol.token)).send({ clientId: 'late-1', text: 'still here?' }).expect(404);
  });

  it('passes ownership on when the owner leaves', async () => {
    const [o, m1] = await Promise.all([register(t.http), register(t.http)]);
    const g = await openChat(t.http, o.token, [m1.auth.user.id], 'Pass it on');
    await t.http.post(`/api/chats/${g.id}/leave`).set(...bearer(o.token)).expect(204);
    const after = (await t.http.get(`/api/chats/${g.id}`).set(...bearer(m1.token)).expect(200)).body as ChatView;
    expect(after).toMatchObject({ myRole: 'owner', memberCount: 1 });
    const log = (await t.http.get(`/api/chats/${g.id}/events`).query({ after: 0 }).set(...bearer(m1.token)).expect(200)).body as ChatEventsView;
    expect(log.events.map((e) => [e.type, e.type === 'message:created' ? e.data.service?.type : e.data])).toEqual([
      ['message:created', 'group-created'],
      ['chat:member-removed', { userId: o.auth.user.id, by: null }],
      ['message:created', 'member-left'],
      ['chat:member-updated', { userId: m1.auth.user.id, role: 'owner' }],
      ['message:created', 'role-changed'],
    ]);
  });
});

describe('the chat list', () => {
  it('sorts by last activity and pages by keyset without gaps or repeats', async () => {
    const me = await register(t.http);
    const others = await Promise.all(Array.from({ length: 5 }, () => register(t.http)));
    const chats: ChatView[] = [];
    for (const o of others) chats.push(await openChat(t.http, me.token, [o.auth.user.id]));
    await sendMessage(t.http, others[0].token, chats[0].id, 'bump to top');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.http.get('/api/chats').query({ limit: 2, ...(cursor ? { cursor } : {}) }).set(...bearer(me.token)).expect(200);
      const page = res.body as Page<ChatView>;
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect(seen[0]).toBe(chats[0].id);
    expect(seen.slice(1)).toEqual(chats.slice(1).map((c) => c.id).reverse());
    const top = ((await t.http.get('/api/chats').set(...bearer(me.token))).body as Page<ChatView>).items[0];
    expect(top).toMatchObject({ unread: 1, lastMessage: { text: 'bump to top' } });
  });

  it('refuses a malformed cursor', async () => {
    const me = await register(t.http);
    await t.http.get('/api/chats').query({ cursor: 'garbage' }).set(...bearer(me.token)).expect(400);
    await t.http.get('/api/chats').query({ limit: 'lots' }).set(...bearer(me.token)).expect(400);
  });
});

describe('outsiders', () => {
  it('get answers byte-identical to a missing chat for every chat route', async () => {
    const [a, b, stranger] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
    const chat = await openChat(t.http, a.token, [b.auth.user.id]);
    const msg = await sendMessage(t.http, a.token, chat.id, 'private');
    const routes: [string, string, object?][] = [
      ['get', ''], ['get', '/messages'], ['get', '/events?after=0'], ['get', '/members'],
      ['post', '/messages', { clientId: 'x1', text: 'let me in' }], ['post', '/read', { seq: 1 }],
      ['patch', `/messages/${msg.id}`, { text: 'edited by stranger' }], ['delete', `/messages/${msg.id}`],
      ['put', `/messages/${msg.id}/reactions/${encodeURIComponent('👍')}`], ['patch', '/me', { customName: 'x' }],
      ['post', '/leave'],
    ];
    for (const [method, path, body] of routes) {
      const call = (id: string) => {
        const req = (t.http as unknown as Record<string, (p: string) => import('supertest').Test>)[method](`/api/chats/${id}${path}`).set(...bearer(stranger.token));
        return body ? req.send(body) : req;
      };
      const hidden = await call(chat.id);
      const missing = await call(MISSING);
      expect([method, path, hidden.status]).toEqual([method, path, 404]);
      expect(hidden.text).toBe(missing.text);
    }
    const history = (await t.http.get(`/api/chats/${chat.id}/messages`).set(...bearer(b.token)).expect(200)).body as { items: { text: string }[] };
    expect(history.items.map((m) => m.text)).toEqual(['private']);
  });
});
