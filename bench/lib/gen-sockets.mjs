// The load generator's sockets: raw Engine.IO v4 / Socket.IO v5 framing over `ws` (open, ping and
// pong, CONNECT with the handshake auth), connect latency, and sockets lost mid-run counted (not
// fatal). Socket.IO EVENT and ACK frames go to the generator's `onEvent` / `onAck`; any other
// unexpected packet is `fatal`.
import WebSocket from 'ws';
import { recordMs } from './hist.mjs';

export function createSockets({ cfg, users, clock, fatal, counters, hConnect, isStopping, onEvent, onAck }) {
  const N = users.length;
  const sockets = Array.from({ length: N }, () => null);
  const connected = new Uint8Array(N);

  /** Not a protocol error but a failed step: counted, shouted on stderr, and the run goes on. */
  function lostSocket(i, why) {
    if (connected[i]) counters.unexpectedCloses += 1;
    connected[i] = 0;
    if (counters.unexpectedCloses <= 10) process.stderr.write(`generator: user ${i} lost its socket: ${why}\n`);
  }

  function onFrame(i, buf) {
    const now = clock();
    counters.framesIn += 1;
    counters.bytesIn += buf.length;
    const type = buf[0];
    if (type === 0x34 /* '4' message */) {
      const sub = buf[1];
      if (sub === 0x32 /* '2' EVENT */) return onEvent(i, buf, now);
      if (sub === 0x33 /* '3' ACK */) return onAck(i, buf, now);
      if (sub === 0x30 /* '0' CONNECT */) return onConnect(i, buf, now);
      if (sub === 0x34 /* '4' CONNECT_ERROR */) return fatal(`user ${i}: CONNECT_ERROR ${buf.toString()}`);
      if (sub === 0x31 /* '1' DISCONNECT */) {
        if (!isStopping()) lostSocket(i, `namespace DISCONNECT ${buf.toString()}`);
        return;
      }
      return fatal(`user ${i}: unexpected Socket.IO packet ${JSON.stringify(buf.toString().slice(0, 80))}`);
    }
    if (type === 0x32 /* '2' ping */) {
      counters.pings += 1;
      sockets[i].send('3');
      return;
    }
    if (type === 0x30 /* '0' open */) {
      const open = JSON.parse(buf.toString().slice(1));
      if (typeof open.sid !== 'string' || typeof open.pingInterval !== 'number') fatal(`user ${i}: bad OPEN ${buf.toString()}`);
      sockets[i].send(`40${JSON.stringify(cfg.auth === 'token' ? { token: users[i].token } : { room: users[i].chatId, userId: users[i].id })}`);
      return;
    }
    if (type === 0x36 /* '6' noop */) return;
    if (type === 0x31 /* '1' close */) {
      if (!isStopping()) lostSocket(i, 'Engine.IO close');
      return;
    }
    fatal(`user ${i}: unexpected Engine.IO packet ${JSON.stringify(buf.toString().slice(0, 80))}`);
  }

  const connectWaiters = new Map();
  const connectStarted = new Float64Array(N);
  function onConnect(i, buf, now) {
    const body = JSON.parse(buf.toString().slice(2));
    if (typeof body.sid !== 'string') fatal(`user ${i}: CONNECT without sid: ${buf.toString()}`);
    if (connected[i]) fatal(`user ${i}: second CONNECT`);
    connected[i] = 1;
    recordMs(hConnect, now - connectStarted[i]);
    const w = connectWaiters.get(i);
    connectWaiters.delete(i);
    w?.();
  }

  function open(i) {
    return new Promise((resolve, reject) => {
      connectStarted[i] = clock();
      const ws = new WebSocket(cfg.url, {
        perMessageDeflate: false,
        skipUTF8Validation: true,
        handshakeTimeout: 30_000,
        headers: { Origin: cfg.origin },
      });
      sockets[i] = ws;
      connectWaiters.set(i, resolve);
      ws.on('message', (data, isBinary) => {
        if (isBinary) fatal(`user ${i}: binary frame`);
        try {
          onFrame(i, data);
        } catch (e) {
          fatal(`user ${i}: cannot handle frame ${JSON.stringify(data.toString().slice(0, 200))}: ${e instanceof Error ? e.message : e}`);
        }
      });
      ws.on('error', (e) => {
        if (!connected[i]) return reject(new Error(`user ${i}: websocket error before CONNECT: ${e.message}`));
        if (!isStopping()) lostSocket(i, `websocket error: ${e.message}`);
      });
      ws.on('close', (code, reason) => {
        const was = connected[i];
        if (isStopping()) return;
        if (!was) return reject(new Error(`user ${i}: closed before CONNECT (${code} ${reason})`));
        lostSocket(i, `websocket closed (${code} ${reason.toString()})`);
      });
    });
  }

  return { sockets, connected, open };
}
