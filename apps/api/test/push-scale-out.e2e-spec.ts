import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createTestApp, ownDatabase, twoInstances, type TestApp } from './support/app.js';
import { bearer, register } from './support/factories.js';
import { closeAllSockets, connected, emitAck, waitForEvent } from './support/sockets.js';
import { openChat, sendMessage } from './support/chats.js';
import { idOf } from './support/social.js';
import { slowLink } from './support/ports.js';
import { LocalPushService } from './support/push-service.js';

// Several pushes per test, each waited for with a generous limit on a busy machine.
jest.setTimeout(90_000);

const service = new LocalPushService();
let a: TestApp;
let b: TestApp;
let database: string;
const pushEnv = () => ({ DATABASE_URL: database, PUSH_CA_FILE: service.caFile, PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true', PUSH_POLL_MS: '200' });

beforeAll(async () => {
  await service.start();
  database = await ownDatabase('push_scale');
  [a, b] = await twoInstances(pushEnv());
});
afterEach(() => closeAllSockets());
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
  await service.stop();
});

it('a visible tab connected to the other instance keeps the session quiet; hidden, it is pushed to once', async () => {
  const [alice, bob] = await Promise.all([register(a.http), register(a.http)]);
  const device = service.browser();
  await b.http.post('/api/push/subscriptions').set(...bearer(bob.token)).send(device.subscription()).expect(204);
  const chat = await openChat(a.http, alice.token, [idOf(bob)]);
  const tab = await connected(b.url, bob.token);
  expect(await emitAck(tab, 'presence:visibility', { visible: true })).toEqual({ ok: true, data: null });

  const seen = waitForEvent(tab, 'message:created', (e) => e.data.text === 'looking');
  await sendMessage(a.http, alice.token, chat.id, 'looking');
  await seen;
  await emitAck(tab, 'presence:visibility', { visible: false });
  const away = await sendMessage(a.http, alice.token, chat.id, 'away');
  await service.until(() => service.for(device).some((p) => p.payload.seq === away.seq));
  // Both instances poll the one queue: the push went out exactly once, and only for the hidden tab.
  await new Promise((r) => setTimeout(r, 1000));
  expect(service.for(device).map((p) => p.payload.seq)).toEqual([away.seq]);
});

it('a tab that sees a message and is put away at once is not pushed that message, even when the question reaches it later', async () => {
  // The sending instance reaches Redis over a slow link: its question "who is looking?" arrives
  // after the message itself, and after the tab has already said it is hidden.
  const redisUrl = new URL(process.env.TEST_REDIS_URL ?? '');
  const link = await slowLink(Number(redisUrl.port), 25);
  const prefix = `push-late-${randomBytes(4).toString('hex')}`;
  const sending = await createTestApp({ ...pushEnv(), REDIS_URL: `redis://127.0.0.1:${link.port}`, REDIS_KEY_PREFIX: prefix });
  const holding = await createTestApp({ ...pushEnv(), REDIS_URL: redisUrl.href, REDIS_KEY_PREFIX: prefix });
  await Promise.all([sending.listen(), holding.listen()]);
  try {
    const [alice, bob] = await Promise.all([register(sending.http), register(sending.http)]);
    const device = service.browser();
    await holding.http.post('/api/push/subscriptions').set(...bearer(bob.token)).send(device.subscription()).expect(204);
    const chat = await openChat(sending.http, alice.token, [idOf(bob)]);
    const tab = await connected(holding.url, bob.token);
    await emitAck(tab, 'presence:visibility', { visible: true });
    const putAway = new Promise<void>((resolve) => {
      tab.once('message:created', () => void emitAck(tab, 'presence:visibility', { visible: false }).then(() => resolve()));
    });

    const seen = await sendMessage(sending.http, alice.token, chat.id, 'seen, then put away');
    await putAway;
    const later = await sendMessage(sending.http, alice.token, chat.id, 'sent while hidden');
    await service.until(() => service.for(device).some((p) => p.payload.seq === later.seq));
    await new Promise((r) => setTimeout(r, 1000));
    expect(service.for(device).map((p) => p.payload.seq)).toEqual([later.seq]);
    expect(seen.seq).toBeLessThan(later.seq);
  } finally {
    await Promise.all([sending.close(), holding.close()]);
    await link.close();
  }
});
