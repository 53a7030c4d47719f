import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { Logger as AppLogger } from 'nestjs-pino';
import type { Ack, ChatView, HistoryView, MessageView } from '@app/contracts';
import { createTestApp, eventually, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { openChat } from './support/chats.js';
import { closeAllSockets, connected, emitAck, record, sleep, waitForEvent, type ClientSocket } from './support/sockets.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ SOCKET_EVENT_MAX_BYTES: '8192' });
  await t.listen();
});
afterEach(() => closeAllSockets());
afterAll(() => t.close());

interface Pair {
  a: Registered;
  chat: ChatView;
  sa: ClientSocket;
  sb: ClientSocket;
}

async function pair(): Promise<Pair> {
  const [a, b] = await Promise.all([register(t.http), register(t.http)]);
  const chat = await openChat(t.http, a.token, [b.auth.user.id]);
  const [sa, sb] = await Promise.all([connected(t.url, a.token), connected(t.url, b.token)]);
  return { a, chat, sa, sb };
}

/** Every event name the server sent to this socket (to prove no `exception` event ever comes). */
function allEvents(socket: ClientSocket): string[] {
  const seen: string[] = [];
  socket.onAny((name: string) => seen.push(name));
  return seen;
}

/** An emit without an ack callback, as a careless or hostile client sends it. */
function emitBare(socket: ClientSocket, event: string, payload: unknown): void {
  (socket.emit as unknown as (e: string, p: unknown) => void)(event, payload);
}

async function history(p: Pair): Promise<MessageView[]> {
  const res = await t.http.get(`/api/chats/${p.chat.id}/messages`).set(...bearer(p.a.token)).expect(200);
  return (res.body as HistoryView).items;
}

describe('acks come from the framework', () => {
  it('answers a bad payload with one failed ack naming the field, no exception event, no echo', async () => {
    const p = await pair();
    const events = allEvents(p.sa);
    const secret = `payload-${randomUUID()}`;
    const payload = { chatId: p.chat.id, clientId: randomUUID(), text: 'hi', sneaky: secret };
    const ack = await emitAck<'message:send', MessageView>(p.sa, 'message:send', payload as never);
    expect(ack).toEqual({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: 'Invalid input', details: [expect.objectContaining({ field: 'sneaky' })] },
    });
    expect(JSON.stringify(ack)).not.toContain(secret);
    await emitAck(p.sa, 'ping', {});
    expect(events).not.toContain('exception');
    expect(await history(p)).toEqual([]);
  });

  it('answers a returned value as {ok:true,data}', async () => {
    const p = await pair();
    const ack = await emitAck<'message:send', MessageView>(p.sa, 'message:send', { chatId: p.chat.id, clientId: randomUUID(), text: 'hi' });
    expect(ack).toEqual({ ok: true, data: expect.objectContaining({ text: 'hi', chatId: p.chat.id }) });
  });
});

describe('events sent without an ack callback', () => {
  it('refuses a mutating one without running it, and logs that once per event name', async () => {
    const p = await pair();
    const lines: string[] = [];
    const proto = AppLogger.prototype as unknown as { call: (level: string, message: unknown, ...rest: unknown[]) => void };
    const spy = jest.spyOn(proto, 'call').mockImplementation((_level, message) => {
      lines.push(String(message));
    });
    try {
      const created = record(p.sb, 'message:created');
      for (let i = 0; i < 5; i += 1) emitBare(p.sa, 'message:send', { chatId: p.chat.id, clientId: randomUUID(), text: `unacked ${i}` });
      emitBare(p.sa, 'message:edit', { chatId: p.chat.id, messageId: randomUUID(), text: 'x' });
      // An acked send afterwards: the socket's events are handled in order, so the bare ones came first.
      // Listened for before sending: the other member may hear it before the sender's ack arrives.
      const heard = waitForEvent(p.sb, 'message:created', (e) => e.data.text === 'acked', 15_000);
      const ack = await emitAck<'message:send', MessageView>(p.sa, 'message:send', { chatId: p.chat.id, clientId: randomUUID(), text: 'acked' });
      expect(ack.ok).toBe(true);
      await heard;
      await sleep(300);
      expect((await history(p)).map((m) => m.text)).toEqual(['acked']);
      expect(created.map((e) => e.data.text)).toEqual(['acked']);
      const refusals = lines.filter((l) => l.includes('without an ack'));
      expect(refusals.filter((l) => l.includes('"message:send"'))).toHaveLength(1);
      expect(refusals.filter((l) => l.includes('"message:edit"'))).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('lets typing, an ephemeral hint, go fire-and-forget', async () => {
    const p = await pair();
    const typing = waitForEvent(p.sb, 'chat:typing', (e) => e.chatId === p.chat.id);
    emitBare(p.sa, 'chat:typing', { chatId: p.chat.id });
    expect(await typing).toEqual({ chatId: p.chat.id, userId: p.a.auth.user.id });
  });
});

describe('size cap per event', () => {
  it('answers an event over SOCKET_EVENT_MAX_BYTES with PAYLOAD_TOO_LARGE, runs nothing, keeps the socket', async () => {
    const p = await pair();
    // 3,000 three-byte characters: valid message text, but about 9 KB on the wire.
    const text = '€'.repeat(3000);
    const ack = await emitAck<'message:send', MessageView>(p.sa, 'message:send', { chatId: p.chat.id, clientId: randomUUID(), text });
    expect(ack).toEqual({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE', message: 'The event is larger than 8192 bytes, the most accepted' } });
    expect(await history(p)).toEqual([]);
    const small = await emitAck<'message:send', MessageView>(p.sa, 'message:send', { chatId: p.chat.id, clientId: randomUUID(), text: '€'.repeat(2000) });
    expect(small.ok).toBe(true);
  });

  it('answers in the ack below the engine frame limit instead of dropping the connection', async () => {
    const p = await pair();
    const events = allEvents(p.sa);
    const big = 'x'.repeat(200 * 1024);
    const ack: Ack<unknown> = await emitAck(p.sa, 'chat:sync', { chatId: p.chat.id, after: 0, junk: big } as never);
    expect(ack).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(p.sa.connected).toBe(true);
    expect(events).not.toContain('exception');
  });

  it('applies the documented default of 64 KB', async () => {
    const def = await createTestApp();
    try {
      expect(def.config.realtime.eventMaxBytes).toBe(65_536);
      await def.listen();
      const u = await register(def.http);
      const s = await connected(def.url, u.token);
      const ack: Ack<unknown> = await emitAck(s, 'ping', { junk: 'y'.repeat(70_000) } as never);
      expect(ack).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
      await eventually(async () => ((await emitAck<'ping', { now: string }>(s, 'ping', {})).ok ? true : undefined));
    } finally {
      closeAllSockets();
      await def.close();
    }
  });
});
