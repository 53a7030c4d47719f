import { createTestApp, eventually, twoInstances, type TestApp } from './support/app.js';
import { register } from './support/factories.js';
import { closeAllSockets, connect, connectError, connected, type ClientSocket } from './support/sockets.js';

afterEach(() => closeAllSockets());

type Outcome = { socket: ClientSocket; result: 'connected' | string };

/** Starts all handshakes at once and waits for each to be accepted or refused. */
function handshakes(urls: string[], token: string): Promise<Outcome[]> {
  return Promise.all(
    urls.map((url) => {
      const socket = connect(url, token);
      return new Promise<Outcome>((resolve) => {
        socket.once('connect', () => resolve({ socket, result: 'connected' }));
        socket.once('connect_error', (e: Error & { data?: { code?: string } }) => resolve({ socket, result: e.data?.code ?? e.message }));
      });
    }),
  );
}

function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o.result] = (counts[o.result] ?? 0) + 1;
  return counts;
}

/** Connects once the server has freed a slot (disconnects are processed asynchronously). */
function connectWhenFree(url: string, token: string): Promise<ClientSocket> {
  return eventually(async () => {
    const s = connect(url, token);
    const ok = await new Promise<boolean>((resolve) => {
      s.once('connect', () => resolve(true));
      s.once('connect_error', () => resolve(false));
    });
    if (ok) return s;
    s.disconnect();
    return undefined;
  }, 10_000);
}

describe('sockets per user, one instance', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SOCKET_HANDSHAKES_PER_ADDRESS: '1000' });
    await t.listen();
  });
  afterAll(() => t.close());

  it('lets exactly 32 of 200 simultaneous handshakes connect; the rest get TOO_MANY_CONNECTIONS', async () => {
    const u = await register(t.http);
    const outcomes = await handshakes(Array.from({ length: 200 }, () => t.url), u.token);
    expect(tally(outcomes)).toEqual({ connected: 32, TOO_MANY_CONNECTIONS: 168 });
    expect(outcomes.filter((o) => o.socket.connected)).toHaveLength(32);
  }, 60_000);

  it('gives slots back on disconnect', async () => {
    const u = await register(t.http);
    const held = (await handshakes(Array.from({ length: 32 }, () => t.url), u.token)).map((o) => o.socket);
    expect(held.every((s) => s.connected)).toBe(true);
    expect((await connectError(connect(t.url, u.token))).data?.code).toBe('TOO_MANY_CONNECTIONS');
    for (const s of held.slice(0, 5)) s.disconnect();
    for (let i = 0; i < 5; i += 1) expect((await connectWhenFree(t.url, u.token)).connected).toBe(true);
    expect((await connectError(connect(t.url, u.token))).data?.code).toBe('TOO_MANY_CONNECTIONS');
  }, 60_000);

  it('counts per user: another user still connects', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    await handshakes(Array.from({ length: 32 }, () => t.url), a.token);
    expect((await connected(t.url, b.token)).connected).toBe(true);
  });
});

describe('sockets per user, two instances over Redis', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    [a, b] = await twoInstances({ SOCKET_HANDSHAKES_PER_ADDRESS: '1000' });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('holds the cap across instances: 200 handshakes split over both, exactly 32 connect', async () => {
    const u = await register(a.http);
    const outcomes = await handshakes(Array.from({ length: 200 }, (_, i) => (i % 2 ? a.url : b.url)), u.token);
    expect(tally(outcomes)).toEqual({ connected: 32, TOO_MANY_CONNECTIONS: 168 });
  }, 60_000);

  it('frees a slot on one instance for a handshake on the other', async () => {
    const u = await register(a.http);
    const onA = (await handshakes(Array.from({ length: 32 }, () => a.url), u.token)).map((o) => o.socket);
    expect(onA.every((s) => s.connected)).toBe(true);
    expect((await connectError(connect(b.url, u.token))).data?.code).toBe('TOO_MANY_CONNECTIONS');
    for (const s of onA.slice(0, 3)) s.disconnect();
    for (let i = 0; i < 3; i += 1) expect((await connectWhenFree(b.url, u.token)).connected).toBe(true);
    expect((await connectError(connect(b.url, u.token))).data?.code).toBe('TOO_MANY_CONNECTIONS');
  }, 60_000);
});

describe('sessions that never authenticate, per address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SOCKET_HANDSHAKES_PER_ADDRESS: '5' });
    await t.listen();
  });
  afterAll(() => t.close());

  /** A bare Engine.IO session (HTTP long-polling handshake) that never sends its Socket.IO CONNECT. */
  async function bareSession(): Promise<{ status: number; sid?: string }> {
    const res = await fetch(`${t.url}/socket.io/?EIO=4&transport=polling`);
    const body = await res.text();
    const sid = res.ok ? (JSON.parse(body.slice(1)) as { sid: string }).sid : undefined;
    return { status: res.status, sid };
  }

  async function close(sid: string): Promise<void> {
    await fetch(`${t.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '1' });
  }

  it('refuses new sessions from an address holding the most, and takes them again once some close', async () => {
    const first = await Promise.all(Array.from({ length: 5 }, () => bareSession()));
    expect(first.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
    const refused = await Promise.all(Array.from({ length: 10 }, () => bareSession()));
    expect(refused.map((s) => s.status)).toEqual(Array(10).fill(403));
    const u = await register(t.http);
    // A real client from the same address is turned away too (connectError rejects if it connects).
    await expect(connectError(connect(t.url, u.token))).resolves.toMatchObject({ message: expect.any(String) });
    await close(first[0].sid!);
    const again = await eventually(async () => {
      const s = await bareSession();
      return s.status === 200 ? s : undefined;
    });
    for (const s of [...first.slice(1), again]) await close(s.sid!);
  });

  it('stops counting a session once its socket is authenticated', async () => {
    const u = await register(t.http);
    const sockets: ClientSocket[] = [];
    for (let i = 0; i < 12; i += 1) sockets.push(await connectWhenFree(t.url, u.token));
    expect(sockets.every((s) => s.connected)).toBe(true);
    const sessions = await Promise.all(Array.from({ length: 5 }, () => bareSession()));
    expect(sessions.every((s) => s.status === 200)).toBe(true);
    for (const s of sessions) await close(s.sid!);
  });
});
