// Load generator (METHOD.md §3.5): raw Engine.IO v4 / Socket.IO v5 over `ws`, one process,
// one timer loop, open-loop Poisson schedule computed up front, latency from the *intended* send
// time (embedded in the message text), only probe sockets parse broadcast payloads.
//
// Usage: node bench/generator.mjs <config.json>
// Writes the result JSON to config.out; prints one JSON line per phase on stdout for the runner.
// Exits non-zero on any protocol error (unexpected packet, connect error, malformed frame).
import { readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { newHistogram, recordMs, summarize } from './lib/hist.mjs';

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const clock = () => performance.timeOrigin + performance.now();
const phase = (name, extra = {}) => process.stdout.write(`${JSON.stringify({ phase: name, t: clock(), ...extra })}\n`);

let stopping = false;
function fatal(msg) {
  process.stderr.write(`generator: FATAL protocol error: ${msg}\n`);
  process.exit(2);
}

// ---------------------------------------------------------------- users, rooms, schedule
const users = cfg.users; // [{ id, token?, room, pos, chatId, probe }]
const N = users.length;
const K = cfg.roomSize;
const words = Math.ceil(K / 32);
const roomMembers = new Map(); // room -> user indexes
users.forEach((u, i) => {
  if (!roomMembers.has(u.room)) roomMembers.set(u.room, []);
  roomMembers.get(u.room).push(i);
});

// Poisson: the superposition of N independent Poisson(r) senders is Poisson(N·r) with the sender
// drawn uniformly at random for each event. Seeded PRNG so runs are repeatable.
let seed = cfg.seed >>> 0 || 1;
const rand = () => {
  // mulberry32
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const totalRate = cfg.rate; // msg/s
const sendWindowMs = cfg.warmupMs + cfg.measureMs;
const relTimes = [];
const senders = [];
for (let t = 0; ; ) {
  t += (-Math.log(1 - rand()) / totalRate) * 1000;
  if (t >= sendWindowMs) break;
  relTimes.push(t);
  senders.push(Math.floor(rand() * N));
}
const M = relTimes.length;
const times = new Float64Array(M); // absolute intended send time (ms since epoch), set at start
const sender = Int32Array.from(senders);
const ackStatus = new Uint8Array(M); // 0 pending, 1 ok, 2 error ack, 3 not connected, 4 unsent
const recvMask = new Uint32Array(M * words);
const recvCount = new Uint16Array(M);
const echoCount = new Uint8Array(M);
const errorCodes = {};

// Message texts: 60-200 bytes of UTF-8, mostly ASCII with some Cyrillic (2-byte) letters.
const FILLER = 'lorem ipsum dolor sit amet consectetur adipiscing elit привет как дела sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ut enim ad minim veniam quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore';
// 128 precomputed fillers so that "<stamp> <filler>" is 60..200 bytes (stamp = 17 bytes + space).
const FILLERS = [];
for (let j = 0; j < 128; j++) {
  const target = 60 + Math.floor(rand() * 141) - 18;
  let f = FILLER.slice(j % 60);
  while (Buffer.byteLength(f) > target) f = f.slice(0, -1);
  FILLERS.push(f.trimEnd() || 'x');
}
const TAG = cfg.runTag; // clientId = `${TAG}-${g}`
const CLIENT_PREFIX = Buffer.from(`"clientId":"${TAG}-`);

// ---------------------------------------------------------------- measurement state
const hDelivery = newHistogram();
const hAck = newHistogram();
const hSendLag = newHistogram();
const hConnect = newHistogram();
let measureStart = Infinity;
let measureEnd = Infinity;
const timeline = []; // per second since t0: { sends, acks, deliveries }
let t0 = 0;
const bucket = (now) => {
  const i = Math.floor((now - t0) / 1000);
  if (i < 0) return null;
  while (timeline.length <= i) timeline.push({ sends: 0, acks: 0, deliveries: 0 });
  return timeline[i];
};
const counters = {
  framesIn: 0,
  bytesIn: 0,
  deliveries: 0,
  deliveriesInWindow: 0,
  acksInWindow: 0,
  sendsInWindow: 0,
  dup: 0,
  echoDup: 0,
  misrouted: 0,
  deliveredUnacked: 0,
  pings: 0,
  orderViolations: 0,
  unexpectedCloses: 0,
  lateAcks: 0,
  probeParsed: 0,
};
const otherEvents = {};
const slowAcks = []; // [intended ms since t0, ack latency ms] for acks slower than 100 ms
let pendingAcks = 0;
let expectedDeliveries = 0; // for acked-ok messages: K-1 (+1 echo when the server echoes)
let countedDeliveries = 0; // receipts of acked-ok messages (first receipt per member only)
const lastSeqByProbeChat = new Map();

// ---------------------------------------------------------------- sockets
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
      if (!stopping) lostSocket(i, `namespace DISCONNECT ${buf.toString()}`);
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
    if (!stopping) lostSocket(i, 'Engine.IO close');
    return;
  }
  fatal(`user ${i}: unexpected Engine.IO packet ${JSON.stringify(buf.toString().slice(0, 80))}`);
}

const MSG_CREATED = Buffer.from('42["message:created",');

function onEvent(i, buf, now) {
  if (buf.length <= MSG_CREATED.length || buf.compare(MSG_CREATED, 0, MSG_CREATED.length, 0, MSG_CREATED.length) !== 0) {
    const arr = JSON.parse(buf.toString().slice(2));
    if (!Array.isArray(arr) || typeof arr[0] !== 'string') fatal(`user ${i}: malformed event ${buf.toString().slice(0, 120)}`);
    otherEvents[arr[0]] = (otherEvents[arr[0]] ?? 0) + 1;
    return;
  }
  // Cheap path for every socket: pull the message index out of the clientId without parsing JSON.
  const at = buf.indexOf(CLIENT_PREFIX);
  if (at < 0) fatal(`user ${i}: message:created without a clientId of this run: ${buf.toString().slice(0, 200)}`);
  let g = 0;
  let p = at + CLIENT_PREFIX.length;
  for (; p < buf.length && buf[p] >= 0x30 && buf[p] <= 0x39; p++) g = g * 10 + (buf[p] - 0x30);
  if (buf[p] !== 0x22 || g >= M) fatal(`user ${i}: bad clientId in ${buf.toString().slice(0, 200)}`);
  counters.deliveries += 1;
  const b = bucket(now);
  if (b) b.deliveries += 1;
  if (now >= measureStart && now < measureEnd) counters.deliveriesInWindow += 1;

  const s = sender[g];
  if (users[s].room !== users[i].room) {
    counters.misrouted += 1;
    return;
  }
  if (s === i) {
    echoCount[g] += 1;
    if (echoCount[g] > 1) counters.echoDup += 1;
    else if (ackStatus[g] === 1) countedDeliveries += 1;
  } else {
    const pos = users[i].pos;
    const w = g * words + (pos >>> 5);
    const bit = 1 << (pos & 31);
    if (recvMask[w] & bit) {
      counters.dup += 1;
    } else {
      recvMask[w] |= bit;
      recvCount[g] += 1;
      if (ackStatus[g] === 1) countedDeliveries += 1;
    }
  }
  if (users[i].probe && s !== i) probeParse(i, buf, g, now);
}

/** Probe sockets parse the whole payload, check it, and record delivery latency. */
function probeParse(i, buf, g, now) {
  const arr = JSON.parse(buf.toString().slice(2));
  const p = arr[1];
  // O sends {chatId, seq, type, data: MessageView, at}; the ceilings relay the client's payload.
  const msg = cfg.payload === 'chat-event' ? p.data : p;
  if (cfg.payload === 'chat-event') {
    if (p.type !== 'message:created' || typeof p.seq !== 'number' || p.chatId !== users[i].chatId || msg.chatId !== users[i].chatId) {
      fatal(`probe ${i}: bad chat event ${buf.toString().slice(0, 300)}`);
    }
    const last = lastSeqByProbeChat.get(i) ?? 0;
    if (p.seq <= last) counters.orderViolations += 1;
    lastSeqByProbeChat.set(i, p.seq);
  }
  if (!msg || msg.clientId !== `${TAG}-${g}` || typeof msg.text !== 'string') fatal(`probe ${i}: bad message ${buf.toString().slice(0, 300)}`);
  const sp = msg.text.indexOf(' ');
  const intended = Number(msg.text.slice(0, sp));
  if (!(Math.abs(intended - times[g]) < 0.002)) fatal(`probe ${i}: text lost its timestamp: ${msg.text.slice(0, 40)} vs ${times[g]}`);
  counters.probeParsed += 1;
  if (intended >= measureStartIntended && intended < measureEndIntended) recordMs(hDelivery, now - intended);
}

function onAck(i, buf, now) {
  let p = 2;
  let g = 0;
  for (; p < buf.length && buf[p] >= 0x30 && buf[p] <= 0x39; p++) g = g * 10 + (buf[p] - 0x30);
  if (p === 2 || g >= M || sender[g] !== i) fatal(`user ${i}: ack for unknown id: ${buf.toString().slice(0, 120)}`);
  if (ackStatus[g] !== 0) fatal(`user ${i}: second ack for message ${g}`);
  const arr = JSON.parse(buf.toString().slice(p));
  if (!Array.isArray(arr) || arr.length !== 1 || typeof arr[0] !== 'object' || arr[0] === null) fatal(`user ${i}: malformed ack ${buf.toString().slice(0, 200)}`);
  const ack = arr[0];
  pendingAcks -= 1;
  if (ack.ok === true) {
    if (!ack.data || ack.data.clientId !== `${TAG}-${g}`) fatal(`user ${i}: ack for ${g} carries another message: ${buf.toString().slice(0, 200)}`);
    ackStatus[g] = 1;
    expectedDeliveries += K - 1 + (cfg.echo ? 1 : 0);
    // Receipts that raced ahead of the ack are now counted as expected deliveries.
    countedDeliveries += recvCount[g] + (cfg.echo && echoCount[g] > 0 ? 1 : 0);
    const b = bucket(now);
    if (b) b.acks += 1;
    if (now >= measureStart && now < measureEnd) counters.acksInWindow += 1;
  } else if (ack.ok === false && ack.error && typeof ack.error.code === 'string') {
    ackStatus[g] = 2;
    errorCodes[ack.error.code] = (errorCodes[ack.error.code] ?? 0) + 1;
    if (Object.keys(errorCodes).length <= 5 && errorCodes[ack.error.code] === 1) {
      process.stderr.write(`generator: error ack: ${buf.toString().slice(0, 300)}\n`);
    }
  } else {
    fatal(`user ${i}: ack is neither ok nor a typed error: ${buf.toString().slice(0, 200)}`);
  }
  const lat = now - times[g];
  if (lat > cfg.ackTimeoutMs) counters.lateAcks += 1;
  // Slow acks with their place in the schedule: tells a stall (clustered) from a queue (spread).
  if (lat > 100 && slowAcks.length < 5000) slowAcks.push([+(times[g] - t0).toFixed(1), +lat.toFixed(1)]);
  if (times[g] >= measureStartIntended && times[g] < measureEndIntended) recordMs(hAck, lat);
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
      if (!stopping) lostSocket(i, `websocket error: ${e.message}`);
    });
    ws.on('close', (code, reason) => {
      const was = connected[i];
      if (stopping) return;
      if (!was) return reject(new Error(`user ${i}: closed before CONNECT (${code} ${reason})`));
      lostSocket(i, `websocket closed (${code} ${reason.toString()})`);
    });
  });
}

// ---------------------------------------------------------------- sending
let next = 0;
let measureStartIntended = Infinity;
let measureEndIntended = Infinity;

function send(g, now) {
  const i = sender[g];
  const b = bucket(now);
  if (b) b.sends += 1;
  if (times[g] >= measureStartIntended && times[g] < measureEndIntended) counters.sendsInWindow += 1;
  if (!connected[i]) {
    ackStatus[g] = 3;
    errorCodes.NOT_CONNECTED = (errorCodes.NOT_CONNECTED ?? 0) + 1;
    return;
  }
  const text = `${times[g].toFixed(3)} ${FILLERS[g & 127]}`;
  const u = users[i];
  sockets[i].send(`42${g}["message:send",${JSON.stringify({ chatId: u.chatId, clientId: `${TAG}-${g}`, text })}]`);
  pendingAcks += 1;
  if (times[g] >= measureStartIntended && times[g] < measureEndIntended) recordMs(hSendLag, now - times[g]);
}

function runSchedule() {
  return new Promise((resolve) => {
    const tick = () => {
      const now = clock();
      while (next < M && times[next] <= now) send(next++, now);
      if (next >= M) return resolve();
      setTimeout(tick, Math.max(0, Math.floor(times[next] - clock())));
    };
    tick();
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- main
async function main() {
  phase('connecting', { users: N, messages: M });
  const rampStart = clock();
  for (let start = 0; start < N; start += cfg.rampBatch) {
    const batch = [];
    for (let i = start; i < Math.min(N, start + cfg.rampBatch); i++) batch.push(open(i));
    await Promise.race([
      Promise.all(batch),
      sleep(60_000).then(() => {
        throw new Error(`batch at ${start} did not connect within 60 s`);
      }),
    ]);
  }
  const rampMs = clock() - rampStart;
  phase('connected', { rampMs });
  await sleep(cfg.settleMs);

  const elDelay = monitorEventLoopDelay({ resolution: 10 });
  elDelay.enable();
  t0 = clock() + 50;
  for (let g = 0; g < M; g++) times[g] = t0 + relTimes[g];
  measureStartIntended = t0 + cfg.warmupMs;
  measureEndIntended = t0 + cfg.warmupMs + cfg.measureMs;
  phase('sending', { t0 });
  setTimeout(() => {
    measureStart = clock();
    elDelay.reset();
    cpuAtStart = process.cpuUsage();
    phase('measure-start');
  }, measureStartIntended - clock());
  let cpuAtStart = null;
  let cpuWindow = null;
  let elWindow = null;
  setTimeout(() => {
    measureEnd = clock();
    const c = process.cpuUsage(cpuAtStart);
    cpuWindow = { userMs: c.user / 1000, systemMs: c.system / 1000, pct: ((c.user + c.system) / 1000 / (measureEnd - measureStart)) * 100 };
    // Node 24's histogram holds the time between samples (resolution included): subtract it.
    const ex = (ns) => Math.max(0, ns / 1e6 - 10);
    elWindow = { p50: ex(elDelay.percentile(50)), p99: ex(elDelay.percentile(99)), p999: ex(elDelay.percentile(99.9)), max: ex(elDelay.max), mean: ex(elDelay.mean) };
    phase('measure-end');
  }, measureEndIntended - clock());

  await runSchedule();
  // Drain: wait for outstanding acks and deliveries, bounded.
  const drainStart = clock();
  while (clock() - drainStart < cfg.drainMs) {
    if (clock() >= measureEndIntended + 100 && pendingAcks === 0 && countedDeliveries >= expectedDeliveries) break;
    await sleep(50);
  }
  while (cpuWindow === null) await sleep(10);
  const drainMs = clock() - drainStart;
  phase('drained', { drainMs, pendingAcks });

  // ---------------------------------------------------------------- correctness
  let ackedOk = 0;
  let errors = 0;
  let lost = 0;
  let echoMissing = 0;
  let timeouts = 0;
  for (let g = 0; g < M; g++) {
    const st = ackStatus[g];
    if (st === 0) timeouts += 1;
    if (st === 2 || st === 3) errors += 1;
    if (st !== 1) {
      if (recvCount[g] > 0) counters.deliveredUnacked += 1;
      continue;
    }
    ackedOk += 1;
    lost += K - 1 - recvCount[g];
    if (cfg.echo && echoCount[g] === 0) echoMissing += 1;
  }
  stopping = true;
  for (const ws of sockets) ws?.terminate();

  const ackedBitmap = Buffer.alloc(Math.ceil(M / 8));
  for (let g = 0; g < M; g++) if (ackStatus[g] === 1) ackedBitmap[g >> 3] |= 1 << (g & 7);
  const windowS = (measureEnd - measureStart) / 1000;
  const result = {
    config: { contender: cfg.contender, users: N, roomSize: K, rate: totalRate, warmupMs: cfg.warmupMs, measureMs: cfg.measureMs, probes: users.filter((u) => u.probe).length },
    rampMs,
    drainMs,
    messages: M,
    window: { start: measureStart, end: measureEnd, seconds: windowS, sends: counters.sendsInWindow, acks: counters.acksInWindow, deliveries: counters.deliveriesInWindow },
    throughput: {
      offeredPerS: counters.sendsInWindow / windowS,
      acksPerS: counters.acksInWindow / windowS,
      deliveriesPerS: counters.deliveriesInWindow / windowS,
    },
    latency: { delivery: summarize(hDelivery), ack: summarize(hAck), sendLag: summarize(hSendLag), connect: summarize(hConnect) },
    correctness: {
      ackedOk,
      errors,
      timeouts,
      errorCodes,
      lost,
      dup: counters.dup,
      echoDup: counters.echoDup,
      echoMissing: cfg.echo ? echoMissing : null,
      misrouted: counters.misrouted,
      deliveredUnacked: counters.deliveredUnacked,
      orderViolations: counters.orderViolations,
      lateAcks: counters.lateAcks,
      unexpectedCloses: counters.unexpectedCloses,
    },
    generator: { cpu: cpuWindow, eventLoopDelayMs: elWindow },
    frames: { in: counters.framesIn, bytesIn: counters.bytesIn, pings: counters.pings, probeParsed: counters.probeParsed, otherEvents },
    timeline,
    slowAcks,
    ackedBitmap: ackedBitmap.toString('base64'),
  };
  writeFileSync(cfg.out, JSON.stringify(result));
  phase('done');
  setTimeout(() => process.exit(0), 200);
}

main().catch((e) => fatal(e instanceof Error ? e.stack : String(e)));
