import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Ack, ChatEventsView, MessageView, ServerShutdownPayload } from '@app/contracts';
import { createTestApp, type TestApp, type TestEnv } from './support/app.js';
import { bearer, registerMany, type Registered } from './support/factories.js';
import { ChatReplica, openChat } from './support/chats.js';
import { ChildApi, PrivateRedis } from './support/processes.js';
import { closeAllSockets, connected, emitAck, sleep, type ClientSocket } from './support/sockets.js';

/**
 * A rolling restart: two instances over Redis, clients sending all the time, and one instance
 * SIGTERMed and started again. Its sockets are told to move (`server:shutdown`), reconnect to the
 * other instance and catch up; nothing answers 5xx, and every message is stored once and reaches
 * every member once.
 */
describe('a rolling restart of one of two instances', () => {
  let redis: PrivateRedis;
  let stable: TestApp;
  let env: TestEnv;
  const children: ChildApi[] = [];

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: `rolling-${randomBytes(4).toString('hex')}`, INSTANCE_HEARTBEAT_SECONDS: '1', INSTANCE_TTL_SECONDS: '3' };
    stable = await createTestApp(env);
    await stable.listen();
  });
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    for (const child of children) await child.stop('SIGKILL');
    await stable?.close();
    await redis?.stop();
  }, 60_000);

  /** A member as a well-behaved client: one socket, moved to the other instance when told to. */
  class Member {
    socket!: ClientSocket;
    readonly replica: ChatReplica;
    readonly liveIds: string[] = [];
    readonly told: ServerShutdownPayload[] = [];
    moves = 0;
    readonly reasons: string[] = [];
    readonly failures: string[] = [];

    constructor(readonly user: Registered, readonly chatId: string) {
      this.replica = new ChatReplica(chatId);
    }

    readonly fetchAfter = async (after: number): Promise<ChatEventsView> =>
      (await stable.http.get(`/api/chats/${this.chatId}/events`).query({ after }).set(...bearer(this.user.token)).expect(200)).body as ChatEventsView;

    async open(url: string): Promise<void> {
      const socket = await connected(url, this.user.token);
      this.socket = socket;
      this.replica.attach(socket, this.fetchAfter);
      socket.on('message:created', (e) => e.chatId === this.chatId && this.liveIds.push(e.data.id));
      socket.on('server:shutdown', (p) => this.told.push(p));
      socket.on('disconnect', (reason) => {
        this.reasons.push(reason);
        if (reason === 'io client disconnect' || this.moves > 0) return;
        // Told to move or cut off, a client reconnects; the load balancer sends it to the instance that stays.
        this.moves += 1;
        void this.open(stable.url)
          .then(() => this.replica.catchUp(this.fetchAfter))
          .catch((e: unknown) => this.failures.push(String(e)));
      });
      await this.replica.catchUp(this.fetchAfter);
    }

    /** Sends with one client id until stored: again after UNAVAILABLE, a lost ack or a move. */
    async send(text: string, codes: string[]): Promise<string> {
      const clientId = randomUUID();
      for (;;) {
        if (!this.socket.connected) {
          await sleep(50);
          continue;
        }
        const ack = await emitAck<'message:send', MessageView>(this.socket, 'message:send', { chatId: this.chatId, clientId, text }, 4000).catch(
          (): Ack<MessageView> => ({ ok: false, error: { code: 'UNAVAILABLE', message: 'no ack (timeout)' } }),
        );
        if (ack.ok) return clientId;
        codes.push(ack.error.code);
        if (ack.error.code !== 'UNAVAILABLE') throw new Error(`send refused: ${JSON.stringify(ack.error)}`);
        await sleep(ack.error.retryAfterMs ?? 200);
      }
    }
  }

  /** REST sends alternating between the instances, as a load balancer would; a refused connection goes to the other one. */
  async function restSend(user: Registered, chatId: string, urls: string[], i: number, statuses: number[]): Promise<string> {
    const clientId = randomUUID();
    for (let attempt = 0; ; attempt += 1) {
      const url = urls[(i + attempt) % urls.length];
      const res = await fetch(`${url}/api/chats/${chatId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
        body: JSON.stringify({ clientId, text: `rest ${i}` }),
      }).catch(() => null);
      if (!res) {
        await sleep(50);
        continue;
      }
      statuses.push(res.status);
      if (res.status === 503 && res.headers.get('retry-after')) {
        await sleep(200);
        continue;
      }
      if (res.status !== 201) throw new Error(`REST send answered ${res.status}: ${await res.text()}`);
      return clientId;
    }
  }

  it('moves sockets, answers no 5xx, and stores and delivers every message exactly once', async () => {
    let restarting = await ChildApi.start(env);
    children.push(restarting);
    const port = new URL(restarting.url).port;
    const users = await registerMany(stable.http, 4);
    const chat = await openChat(stable.http, users[0].token, users.slice(1).map((u) => u.auth.user.id), 'Rolling');
    const members = users.map((u) => new Member(u, chat.id));
    // Half the members on each instance.
    await Promise.all(members.map((m, i) => m.open(i % 2 === 0 ? restarting.url : stable.url)));

    let stop = false;
    const sent: string[] = [];
    const ackCodes: string[] = [];
    const restStatuses: number[] = [];
    const socketSenders = members.map(async (m) => {
      for (let i = 0; !stop; i += 1) {
        sent.push(await m.send(`${m.user.request.username} ${i}`, ackCodes));
        await sleep(20);
      }
    });
    const urls = [restarting.url, stable.url];
    const restSender = (async () => {
      for (let i = 0; !stop; i += 1) sent.push(await restSend(users[1], chat.id, urls, i, restStatuses));
    })();

    await sleep(1500);
    const sigtermAt = Date.now();
    const exit = await restarting.stop('SIGTERM');
    const drainedMs = Date.now() - sigtermAt;
    restarting = await ChildApi.start(env, Number(port));
    children.push(restarting);
    await sleep(1500); // sends reach the new process too
    stop = true;
    await Promise.all([...socketSenders, restSender]);

    // Every client id stored exactly once, and nothing stored that was not sent.
    const rows = (await stable.app.get(DataSource).query('SELECT client_id, count(*)::int AS n FROM messages WHERE chat_id = $1 GROUP BY client_id', [chat.id])) as { client_id: string; n: number }[];
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    // The group's own service lines ("group created") are in its history too, and not sends.
    const service = (await stable.app.get(DataSource).query('SELECT client_id FROM messages WHERE chat_id = $1 AND service IS NOT NULL', [chat.id])) as { client_id: string }[];
    const serviceIds = new Set(service.map((r) => r.client_id));
    expect(rows.map((r) => r.client_id).filter((id) => !serviceIds.has(id)).sort()).toEqual([...sent].sort());

    // Every member, after catch-up, applied each seq once and holds every message; no live duplicate.
    await sleep(300);
    for (const m of members) {
      await m.replica.catchUp(m.fetchAfter);
      expect(m.replica.applied).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
      expect(m.replica.messages.size).toBe(rows.length);
      expect(m.liveIds.length).toBe(new Set(m.liveIds).size);
    }

    // The stopping instance told its sockets why, and they moved; it exited on its own, within the grace.
    const moved = members.filter((_, i) => i % 2 === 0);
    for (const m of moved) {
      expect(m.told).toEqual([{ reason: 'SERVER_RESTART' }]);
      expect(m.moves).toBe(1);
      expect(m.reasons).toEqual(['io server disconnect']);
      expect(m.failures).toEqual([]);
    }
    expect([0, 143, 'SIGTERM']).toContain(exit); // 143 = 128 + SIGTERM, once shutdown hooks ran
    expect(drainedMs).toBeLessThan(15_000);
    // No 5xx at all over REST; over sockets only UNAVAILABLE (sent during the drain, sent again after the move).
    expect(restStatuses.filter((s) => s >= 500)).toEqual([]);
    expect(ackCodes.filter((c) => c !== 'UNAVAILABLE')).toEqual([]);
    process.stdout.write(`rolling restart: ${sent.length} sends, drain ${drainedMs} ms, ${ackCodes.length} acks UNAVAILABLE, REST ${restStatuses.length} answers\n`);
  }, 120_000);
});
