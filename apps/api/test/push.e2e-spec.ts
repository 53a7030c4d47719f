import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AuthView, ChatView, HealthView, SessionView, VapidPublicKeyView } from '@app/contracts';
import { createTestApp, ownDatabase, type TestApp } from './support/app.js';
import { bearer, refreshCookieOf, register, type Registered } from './support/factories.js';
import { closeAllSockets, connected, emitAck, waitForEvent } from './support/sockets.js';
import { openChat, sendMessage } from './support/chats.js';
import { block, idOf, sendRequest } from './support/social.js';
import { LocalPushService, type Behaviour, type FakeBrowser } from './support/push-service.js';

// Several pushes per test, each waited for with a generous limit on a busy machine.
jest.setTimeout(90_000);

let t: TestApp;
const service = new LocalPushService();
const latencies: number[] = [];

beforeAll(async () => {
  await service.start();
  t = await createTestApp({ DATABASE_URL: await ownDatabase('push'), PUSH_CA_FILE: service.caFile, PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true', PUSH_POLL_MS: '200', PUSH_CONCURRENCY: '8' });
  await t.listen();
});
afterEach(() => closeAllSockets());
afterAll(async () => {
  if (latencies.length) {
    const sorted = [...latencies].sort((x, y) => x - y);
    process.stdout.write(`push latency send→push service at idle: median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms over ${sorted.length}\n`);
  }
  await t.close();
  await service.stop();
});

/** A device of `u` (its current session, or a new sign-in) subscribed through the API. */
async function device(u: Registered, behaviour: Behaviour = 'accept', token = u.token): Promise<FakeBrowser> {
  const b = service.browser(behaviour);
  await t.http.post('/api/push/subscriptions').set(...bearer(token)).send(b.subscription()).expect(204);
  return b;
}

async function signIn(u: Registered): Promise<AuthView & { cookie: string }> {
  const res = await t.http.post('/api/auth/login').send({ login: u.request.username, password: u.password }).expect(200);
  return { ...(res.body as AuthView), cookie: refreshCookieOf(res.headers['set-cookie']) };
}

async function sessions(token: string): Promise<SessionView[]> {
  return (await t.http.get('/api/auth/sessions').set(...bearer(token)).expect(200)).body as SessionView[];
}

/** Sends and waits until the push for it reached `to`; returns the push and records the latency. */
async function sendAndReceive(from: Registered, chat: ChatView, text: string, to: FakeBrowser) {
  const started = Date.now();
  const m = await sendMessage(t.http, from.token, chat.id, text);
  await service.until(() => service.for(to).some((p) => p.payload.chatId === chat.id && p.payload.seq === m.seq));
  const push = service.for(to).find((p) => p.payload.chatId === chat.id && p.payload.seq === m.seq)!;
  latencies.push(push.at - started);
  return { push, message: m };
}

const seqsFor = (b: FakeBrowser, chat: ChatView): number[] => service.for(b).filter((p) => p.payload.chatId === chat.id).map((p) => p.payload.seq ?? -1);

describe('subscribing', () => {
  it('gives the VAPID key, validates the subscription and shows the device in the sessions list', async () => {
    const u = await register(t.http);
    const key = (await t.http.get('/api/push/vapid-public-key').set(...bearer(u.token)).expect(200)).body as VapidPublicKeyView;
    expect(key.publicKey).toMatch(/^B[\w-]{86}$/);
    await t.http.get('/api/push/vapid-public-key').expect(401);
    const bad = await t.http.post('/api/push/subscriptions').set(...bearer(u.token))
      .send({ endpoint: 'http://insecure.example/push', keys: { p256dh: 'x', auth: 'y' } }).expect(400);
    expect((bad.body as { error: { code: string; details: { field: string }[] } }).error.code).toBe('VALIDATION_FAILED');
    expect(await sessions(u.token)).toEqual([expect.objectContaining({ current: true, notifications: false })]);
    await device(u);
    expect(await sessions(u.token)).toEqual([expect.objectContaining({ current: true, notifications: true })]);
    await t.http.delete('/api/push/subscriptions').set(...bearer(u.token)).expect(204);
    expect(await sessions(u.token)).toEqual([expect.objectContaining({ current: true, notifications: false })]);
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await t.http.get('/api/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/api/push/subscriptions'] ?? {}).sort()).toEqual(['delete', 'post']);
    expect(Object.keys(doc.paths['/api/push/settings'] ?? {}).sort()).toEqual(['get', 'put']);
    expect(doc.paths['/api/push/vapid-public-key']).toHaveProperty('get');
    expect(doc.paths['/api/chats/{chatId}/mute']).toHaveProperty('put');
  });
});

describe('what is pushed', () => {
  it('pushes a dialog message encrypted for the device, signed with the VAPID key, without text by default', async () => {
    const [a, b] = await Promise.all([register(t.http, { displayName: 'Alice Sender' }), register(t.http)]);
    const [toA, toB] = [await device(a), await device(b)];
    const chat = await openChat(t.http, a.token, [idOf(b)]);
    const { push } = await sendAndReceive(a, chat, 'the secret plan', toB);
    const key = (await t.http.get('/api/push/vapid-public-key').set(...bearer(b.token)).expect(200)).body as VapidPublicKeyView;
    expect(push.vapidKey).toBe(key.publicKey);
    expect(push.audience).toBe(new URL(toB.endpoint).origin);
    expect(push.payload).toEqual({
      kind: 'message', tag: `chat:${chat.id}`, chatId: chat.id, chatTitle: 'Alice Sender',
      sender: { id: idOf(a), name: 'Alice Sender' }, preview: null, url: `/?chat=${chat.id}`, seq: 1,
    });
    expect(JSON.stringify(service.for(toB))).not.toContain('secret plan');
    // Nothing for one's own message: B's answer reaches A, A's own message never did.
    await sendAndReceive(b, chat, 'ok', toA);
    expect(seqsFor(toA, chat)).toEqual([2]);
  });

  it('carries the text once the recipient turns the preview on', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const toB = await device(b);
    expect((await t.http.get('/api/push/settings').set(...bearer(b.token)).expect(200)).body).toEqual({ preview: false });
    await t.http.put('/api/push/settings').set(...bearer(b.token)).send({ preview: 'yes' }).expect(400);
    await t.http.put('/api/push/settings').set(...bearer(b.token)).send({ preview: true }).expect(200, { preview: true });
    const chat = await openChat(t.http, a.token, [idOf(b)]);
    const { push } = await sendAndReceive(a, chat, 'see you at 8', toB);
    expect(push.payload.preview).toBe('see you at 8');
  });

  it('pushes mentions through a "mentions only" mute, and nothing else of a muted chat', async () => {
    const [a, b, c] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
    const toB = await device(b);
    const group = await openChat(t.http, a.token, [idOf(b), idOf(c)], 'Team');
    const dialog = await openChat(t.http, c.token, [idOf(b)]);
    const muted = (await t.http.put(`/api/chats/${group.id}/mute`).set(...bearer(b.token)).send({ until: 'forever', mentionsOnly: true }).expect(200)).body as ChatView;
    expect(muted).toMatchObject({ mutedUntil: 'forever', muteMentionsOnly: true });
    await t.http.put(`/api/chats/${dialog.id}/mute`).set(...bearer(b.token)).send({ until: 'forever', mentionsOnly: true }).expect(400);
    await t.http.put(`/api/chats/${dialog.id}/mute`).set(...bearer(b.token)).send({ until: '2001-01-01T00:00:00Z' }).expect(400);
    await t.http.put(`/api/chats/${dialog.id}/mute`).set(...bearer(b.token)).send({}).expect(400);
    await t.http.put(`/api/chats/${randomUUID()}/mute`).set(...bearer(b.token)).send({ until: null }).expect(404);
    const listed = (await t.http.get('/api/chats').set(...bearer(b.token)).expect(200)).body as { items: ChatView[] };
    expect(listed.items.find((x) => x.id === group.id)).toMatchObject({ mutedUntil: 'forever', muteMentionsOnly: true });

    await sendMessage(t.http, a.token, group.id, 'lunch anyone?');
    const { push } = await sendAndReceive(a, group, `@${b.request.username} you too`, toB);
    expect(push.payload).toMatchObject({ kind: 'mention', chatTitle: 'Team', tag: `chat:${group.id}` });
    expect(seqsFor(toB, group)).toEqual([push.payload.seq]);

    // A dialog muted for an hour: silent; unmuted: heard again.
    const hour = new Date(Date.now() + 3600_000).toISOString();
    const dm = (await t.http.put(`/api/chats/${dialog.id}/mute`).set(...bearer(b.token)).send({ until: hour }).expect(200)).body as ChatView;
    expect(dm).toMatchObject({ muteMentionsOnly: false });
    expect(Date.parse(dm.mutedUntil ?? '')).toBe(Date.parse(hour));
    await sendMessage(t.http, c.token, dialog.id, 'psst');
    await t.http.put(`/api/chats/${dialog.id}/mute`).set(...bearer(b.token)).send({ until: null }).expect(200);
    const after = await sendAndReceive(c, dialog, 'now?', toB);
    expect(seqsFor(toB, dialog)).toEqual([after.message.seq]);
  });

  it('pushes nothing from a blocked sender, and sender names as the recipient may see them', async () => {
    const [a, b, c] = await Promise.all([register(t.http), register(t.http, { displayName: 'Blocked Person' }), register(t.http)]);
    const toA = await device(a);
    const group = await openChat(t.http, c.token, [idOf(a), idOf(b)], 'Club');
    await block(t.http, a, b);
    await sendMessage(t.http, b.token, group.id, 'hi from the blocked one');
    const marker = await sendAndReceive(c, group, 'hello', toA);
    expect(seqsFor(toA, group)).toEqual([marker.message.seq]);
    expect(JSON.stringify(service.for(toA))).not.toContain('Blocked Person');
  });

  it('pushes incoming friend requests', async () => {
    const [a, b] = await Promise.all([register(t.http, { displayName: 'Friendly Fred' }), register(t.http)]);
    const [toA, toB] = [await device(a), await device(b)];
    await sendRequest(t.http, a, b);
    await service.until(() => service.for(toB).some((p) => p.payload.kind === 'friend-request'));
    expect(service.for(toB)[0].payload).toMatchObject({ kind: 'friend-request', tag: 'friend-requests', sender: { id: idOf(a), name: 'Friendly Fred' }, chatId: null });
    expect(service.for(toA)).toEqual([]);
  });

  it('pushes nothing to a session whose tab is visible and connected', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const toB = await device(b);
    const chat = await openChat(t.http, a.token, [idOf(b)]);
    const tab = await connected(t.url, b.token);
    expect(await emitAck(tab, 'presence:visibility', { visible: 'yes' as unknown as boolean })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await emitAck(tab, 'presence:visibility', { visible: true })).toEqual({ ok: true, data: null });
    const seen = waitForEvent(tab, 'message:created', (e) => e.data.text === 'while looking');
    await sendMessage(t.http, a.token, chat.id, 'while looking');
    await seen;
    await emitAck(tab, 'presence:visibility', { visible: false });
    const hidden = await sendAndReceive(a, chat, 'while away', toB);
    expect(seqsFor(toB, chat)).toEqual([hidden.message.seq]);
  });
});

describe('a subscription ends with its session', () => {
  it('after signing out, ending the session from another device, or a password change', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const chat = await openChat(t.http, a.token, [idOf(b)]);
    const kept = await device(b);
    const [s2, s3, s4] = [await signIn(b), await signIn(b), await signIn(b)];
    const [out, ended, changed] = [await device(b, 'accept', s2.accessToken), await device(b, 'accept', s3.accessToken), await device(b, 'accept', s4.accessToken)];
    expect((await sessions(b.token)).filter((s) => s.notifications)).toHaveLength(4);

    await t.http.post('/api/auth/logout').set('Cookie', s2.cookie).set(...bearer(s2.accessToken)).expect(204);
    const s3Id = (await sessions(s3.accessToken)).find((s) => s.current)!.id;
    await t.http.delete(`/api/auth/sessions/${s3Id}`).set(...bearer(b.token)).expect(204);
    await t.http.post('/api/auth/password').set(...bearer(s4.accessToken))
      .send({ currentPassword: b.password, newPassword: 'another long password 77' }).expect(204);
    // The password change ended every other session, including the one kept so far: sign in again there.
    const fresh = await signIn({ ...b, password: 'another long password 77' });
    const again = await device(b, 'accept', fresh.accessToken);

    const { message } = await sendAndReceive(a, chat, 'who hears this?', again);
    await service.until(() => service.for(changed).some((p) => p.payload.seq === message.seq));
    for (const gone of [out, ended, kept]) expect(service.for(gone)).toEqual([]);
    // The rows themselves are gone, not only filtered out.
    const db = t.app.get(DataSource);
    const left = async () => ((await db.query('SELECT endpoint FROM push_subscriptions WHERE endpoint = ANY($1)', [[out, ended, kept, changed, again].map((d) => d.endpoint)])) as { endpoint: string }[]).map((r) => r.endpoint).sort();
    for (let i = 0; i < 50 && (await left()).length > 2; i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(await left()).toEqual([changed.endpoint, again.endpoint].sort());
  });

  it.each([['gone', 410], ['not-found', 404]] as const)('when the push service answers %s (%d)', async (behaviour, _status) => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const dead = await device(b, behaviour);
    const chat = await openChat(t.http, a.token, [idOf(b)]);
    await sendMessage(t.http, a.token, chat.id, 'first');
    await service.until(() => (service.hits.get(dead.id) ?? 0) === 1);
    let left = true;
    for (let i = 0; i < 60 && left; i += 1) {
      left = (await sessions(b.token))[0].notifications;
      if (left) await new Promise((r) => setTimeout(r, 100));
    }
    expect(left).toBe(false);
    const c = await register(t.http);
    const toC = await device(c);
    const chatC = await openChat(t.http, a.token, [idOf(c)]);
    await sendMessage(t.http, a.token, chat.id, 'second');
    await sendAndReceive(a, chatC, 'marker', toC);
    expect(service.hits.get(dead.id)).toBe(1);
  });
});

describe('retries', () => {
  it('retries a push the push service could not take (503), after a backoff, and delivers it once', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const busy = await device(b, 'unavailable');
    const chat = await openChat(t.http, a.token, [idOf(b)]);
    const m = await sendMessage(t.http, a.token, chat.id, 'try again');
    await service.until(() => (service.hits.get(busy.id) ?? 0) === 1);
    const refusedAt = Date.now();
    service.setBehaviour(busy, 'accept');
    await service.until(() => service.for(busy).length === 1, 30_000);
    expect(service.for(busy)[0].payload.seq).toBe(m.seq);
    // Not before the backoff (5 s from the refusal), and not sent twice.
    expect(service.for(busy)[0].at - refusedAt).toBeGreaterThanOrEqual(4_000);
    expect(service.hits.get(busy.id)).toBe(2);
  });
});

describe('a dead push service', () => {
  it('never delays a message: the other member gets it at once while pushes hang', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const frozen = await device(b, 'hang');
    const chat = await openChat(t.http, a.token, [idOf(b)]);
    const tab = await connected(t.url, b.token);
    await sendMessage(t.http, a.token, chat.id, 'warm up');
    await service.until(() => (service.hits.get(frozen.id) ?? 0) >= 1);
    const delivered: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      const started = Date.now();
      const seen = waitForEvent(tab, 'message:created', (e) => e.data.text === `n${i}`, 5000);
      await sendMessage(t.http, a.token, chat.id, `n${i}`);
      await seen;
      delivered.push(Date.now() - started);
    }
    // Every send was delivered while the push service held its connections open (at most PUSH_CONCURRENCY).
    expect(delivered).toHaveLength(12);
    expect(service.hits.get(frozen.id)).toBeGreaterThanOrEqual(1);
    const health = (await t.http.get('/api/health').expect(200)).body as HealthView;
    expect(health.queues.push).toBeGreaterThan(0);
    process.stdout.write(`delivery while the push service hangs: max ${Math.max(...delivered)} ms\n`);
  });
});
