// Load generator (METHOD.md §3.5): raw Engine.IO v4 / Socket.IO v5 over `ws`, one process,
// one timer loop, open-loop Poisson schedule computed up front, latency from the *intended* send
// time (embedded in the message text), only probe sockets parse broadcast payloads.
//
// Usage: node bench/generator.mjs <config.json>
// Writes the result JSON to config.out; prints one JSON line per phase on stdout for the runner.
// Exits non-zero on any protocol error (unexpected packet, connect error, malformed frame).
import { readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { newHistogram, recordMs } from './lib/hist.mjs';
import { buildSchedule } from './lib/schedule.mjs';
import { buildResult } from './lib/gen-result.mjs';
import { createSockets } from './lib/gen-sockets.mjs';

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
const { relTimes, sender, fillers: FILLERS } = buildSchedule(cfg, users);
const M = relTimes.length;
const times = new Float64Array(M); // absolute intended send time (ms since epoch), set at start
const ackStatus = new Uint8Array(M); // 0 pending, 1 ok, 2 error ack, 3 not connected, 4 unsent
const recvMask = new Uint32Array(M * words);
const recvCount = new Uint16Array(M);
const echoCount = new Uint8Array(M);
const errorCodes = {};

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
const { sockets, connected, open } = createSockets({ cfg, users, clock, fatal, counters, hConnect, isStopping: () => stopping, onEvent, onAck });

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

  stopping = true;
  const result = buildResult({
    cfg, users, K, M, ackStatus, recvCount, echoCount, counters, errorCodes, otherEvents, timeline, slowAcks,
    histograms: { delivery: hDelivery, ack: hAck, sendLag: hSendLag, connect: hConnect },
    rampMs, drainMs, measureStart, measureEnd, cpuWindow, elWindow,
  });
  for (const ws of sockets) ws?.terminate();
  writeFileSync(cfg.out, JSON.stringify(result));
  phase('done');
  setTimeout(() => process.exit(0), 200);
}

main().catch((e) => fatal(e instanceof Error ? e.stack : String(e)));
