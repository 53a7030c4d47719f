import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import type { Ack, ChatEventsView, HistoryView, MessageView } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { openChat, sendMessage } from './support/chats.js';
import { closeAllSockets, connected, emitAck, record, sleep, waitForEvent } from './support/sockets.js';
import { NOT_FOUND_TEXT } from './support/social.js';

/**
 * A page server of the test's own on 127.0.0.1, allow-listed through LINK_PREVIEW_ALLOW_HOSTS
 * (private addresses are refused otherwise: see safe-fetch.spec.ts).
 */
let site: Server;
let siteUrl: string;
let releaseSlow: () => void = () => undefined;
let slowRequested: () => void = () => undefined;
const slowSeen = new Promise<void>((resolve) => (slowRequested = resolve));
let t: TestApp;
let png: Buffer;

beforeAll(async () => {
  png = await sharp({ create: { width: 1200, height: 630, channels: 3, background: '#3366cc' } }).png().toBuffer();
  const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
  site = createServer((req, res) => {
    if (req.url === '/article') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><head><title>fallback</title>
        <meta property="og:title" content="Local &amp; news"><meta property="og:description" content="What <b>happened</b> today">
        <meta property="og:site_name" content="Example Times"><meta property="og:image" content="/card.png"></head><body></body></html>`);
    } else if (req.url === '/card.png') res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    else if (req.url === '/slow') {
      slowRequested();
      void slowGate.then(() => res.writeHead(200, { 'content-type': 'text/html' }).end('<title>Slow page</title>'));
    } else res.writeHead(404).end();
  });
  site.on('connection', (s) => s.unref());
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  t = await createTestApp({ LINK_PREVIEW_ALLOW_HOSTS: '127.0.0.1', LINK_PREVIEW_TIMEOUT_MS: '30000' });
  await t.listen();
});
afterEach(() => closeAllSockets());
afterAll(async () => {
  releaseSlow();
  await t.close();
  site.closeAllConnections();
  await new Promise((r) => site.close(r));
});

const pair = async (): Promise<{ a: Registered; b: Registered; chatId: string }> => {
  const [a, b] = await Promise.all([register(t.http), register(t.http)]);
  const chat = await openChat(t.http, a.token, [b.auth.user.id]);
  return { a, b, chatId: chat.id };
};
const ok = <T>(ack: Ack<T>): T => {
  if (!ack.ok) throw new Error(`refused: ${ack.error.code}`);
  return ack.data;
};

describe('link previews', () => {
  it('acks the send at once; the other member then gets the card as a chat event, replayed by catch-up and in history', async () => {
    const { a, b, chatId } = await pair();
    const [sa, sb] = await Promise.all([connected(t.url, a.token), connected(t.url, b.token)]);
    const created = waitForEvent(sb, 'message:created', (e) => e.chatId === chatId);
    const preview = waitForEvent(sb, 'message:preview', (e) => e.chatId === chatId, 20_000);
    const sent = ok(await emitAck<'message:send', MessageView>(sa, 'message:send', { chatId, clientId: 'link-1', text: `look: ${siteUrl}/article!` }));
    expect(sent.preview).toBeNull();
    expect((await created).data.preview).toBeNull();
    const event = await preview;
    expect(event.data).toEqual({
      messageId: sent.id,
      preview: {
        url: `${siteUrl}/article`, title: 'Local & news', description: 'What <b>happened</b> today', siteName: 'Example Times',
        image: { url: expect.stringMatching(/^\/api\/link-previews\/[0-9a-f-]{36}\/image$/), width: 480, height: 252 },
      },
    });
    expect(event.seq).toBeGreaterThan(sent.seq);
    // The image is the server's own WebP, not the page's PNG.
    const image = await t.http.get(event.data.preview!.image!.url).expect(200);
    expect(image.headers['content-type']).toBe('image/webp');
    expect((await sharp(image.body as Buffer).metadata()).format).toBe('webp');
    // Catch-up replays it; history carries it.
    const events = (await t.http.get(`/api/chats/${chatId}/events?after=${sent.seq}`).set(...bearer(b.token)).expect(200)).body as ChatEventsView;
    expect(events.events.map((e) => e.type)).toContain('message:preview');
    const history = (await t.http.get(`/api/chats/${chatId}/messages`).set(...bearer(b.token)).expect(200)).body as HistoryView;
    expect(history.items.find((m) => m.id === sent.id)?.preview).toEqual(event.data.preview);
  }, 60_000);

  it('only the sender removes the card, over REST or the socket; members see it go, and it stays gone', async () => {
    const { a, b, chatId } = await pair();
    const sb = await connected(t.url, b.token);
    const arrived = waitForEvent(sb, 'message:preview', (e) => e.chatId === chatId && e.data.preview !== null, 20_000);
    const m = await sendMessage(t.http, a.token, chatId, `${siteUrl}/article`);
    await arrived;
    const remove = (u: Registered) => t.http.delete(`/api/chats/${chatId}/messages/${m.id}/preview`).set(...bearer(u.token));
    expect((await remove(b).expect(403)).body.error.code).toBe('FORBIDDEN');
    const outsider = await register(t.http);
    expect((await remove(outsider).expect(404)).text).toBe(NOT_FOUND_TEXT);
    const gone = waitForEvent(sb, 'message:preview', (e) => e.chatId === chatId && e.data.preview === null);
    await remove(a).expect(204);
    expect((await gone).data).toEqual({ messageId: m.id, preview: null });
    const history = (await t.http.get(`/api/chats/${chatId}/messages`).set(...bearer(b.token))).body as HistoryView;
    expect(history.items.find((x) => x.id === m.id)?.preview).toBeNull();
    // Again: nothing changes, no event. The socket twin answers the same.
    const later = record(sb, 'message:preview');
    const sa = await connected(t.url, a.token);
    expect(await emitAck<'message:preview-remove', null>(sa, 'message:preview-remove', { chatId, messageId: m.id })).toEqual({ ok: true, data: null });
    await remove(a).expect(204);
    await sleep(200);
    expect(later).toHaveLength(0);
  }, 60_000);

  it('never blocks sending: while a slow page is being fetched, the next send is acked', async () => {
    const { a, b, chatId } = await pair();
    const [sa, sb] = await Promise.all([connected(t.url, a.token), connected(t.url, b.token)]);
    ok(await emitAck<'message:send', MessageView>(sa, 'message:send', { chatId, clientId: 'slow-1', text: `${siteUrl}/slow` }));
    await slowSeen;
    // The page has not answered (it waits for releaseSlow); sends still go through.
    const next = ok(await emitAck<'message:send', MessageView>(sa, 'message:send', { chatId, clientId: 'slow-2', text: 'still here' }));
    expect(next.text).toBe('still here');
    const preview = waitForEvent(sb, 'message:preview', (e) => e.chatId === chatId, 20_000);
    releaseSlow();
    expect((await preview).data.preview).toMatchObject({ title: 'Slow page', image: null });
  }, 60_000);
});

describe('link previews turned off', () => {
  it('LINK_PREVIEWS=off fetches nothing', async () => {
    const off = await createTestApp({ LINK_PREVIEWS: 'off', LINK_PREVIEW_ALLOW_HOSTS: '127.0.0.1' });
    try {
      const [a, b] = await Promise.all([register(off.http), register(off.http)]);
      const chat = await openChat(off.http, a.token, [b.auth.user.id]);
      const m = await sendMessage(off.http, a.token, chat.id, `${siteUrl}/article?off`);
      await sleep(1000);
      const events = (await off.http.get(`/api/chats/${chat.id}/events?after=${m.seq}`).set(...bearer(b.token))).body as ChatEventsView;
      expect(events.events).toHaveLength(0);
    } finally {
      await off.close();
    }
  });
});
