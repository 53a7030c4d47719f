// Benchmark runner (METHOD.md §3): starts one contender pinned to core 0, pins PostgreSQL's
// processes to core 0 too, seeds the database with SQL, runs the generator pinned to core 1,
// samples CPU from /proc, checks correctness against the database, writes bench/results/*.json.
//
//   npm run bench -- --contender O --profile P2 [--rate-factor 0.5] [--warmup 10] [--duration 30]
//
// See bench/README.md for every option.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchDbUrl, ensureDatabase, makeUsers, messagesIn, schemaReady, seed, seedPush, serverInfo, signTokens, statsClient, tableCounters, verifyPersistence } from './lib/db.mjs';
import { newHistogram, recordMs, summarize } from './lib/hist.mjs';
import { delta, snapshot } from './lib/procstat.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

const PROFILES = {
  P1: { users: 5000, roomSize: 10, perUserPerS: 1 / 60, title: 'team chat' },
  P2: { users: 2000, roomSize: 10, perUserPerS: 0.5, title: 'busy' },
};
const CONTENDERS = {
  C: { ports: 4101, db: false, auth: 'room', payload: 'relay', echo: false },
  'C+': { ports: 4102, db: true, auth: 'room', payload: 'relay', echo: false },
  O: { ports: 4103, db: true, auth: 'token', payload: 'chat-event', echo: true },
};
const JWT_SECRET = 'bench-only-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const ORIGIN = 'http://bench.local';
const SLO = { deliveryP99Ms: 250, errorRate: 0.00025, sutCpuPct: 85 };
const VALID = { generatorCpuPct: 70, generatorElP99Ms: 10 };

const { values: opt } = parseArgs({
  options: {
    contender: { type: 'string', default: 'C' },
    profile: { type: 'string', default: 'P2' },
    'rate-factor': { type: 'string', default: '1' },
    users: { type: 'string' },
    warmup: { type: 'string', default: '10' },
    duration: { type: 'string', default: '30' },
    drain: { type: 'string', default: '10' },
    label: { type: 'string', default: '' },
    seed: { type: 'string', default: '42' },
    'api-dir': { type: 'string', default: process.env.BENCH_API_DIR ?? resolve(here, '../../bench-wt') },
    'no-pin-pg': { type: 'boolean', default: false },
    'quiet-wait': { type: 'string', default: '900' },
    attempts: { type: 'string', default: '3' },
    nice: { type: 'string', default: '-15' },
    'cpu-profile': { type: 'boolean', default: false },
    'restore-pg': { type: 'boolean', default: false },
    'keep-log': { type: 'boolean', default: true },
    push: { type: 'string', default: '0' },
  },
});

// --restore-pg: give PostgreSQL its CPUs and priority back after a runner that was killed (SIGKILL
// leaves no chance to clean up).
if (opt['restore-pg']) {
  const { serverInfo: info } = await import('./lib/db.mjs');
  const { childrenOf } = await import('./lib/procstat.mjs');
  const { postmaster } = await info();
  const all = `0-${cpus().length - 1}`;
  for (const pid of [postmaster, ...childrenOf(postmaster)]) execFileSync('taskset', ['-a', '-c', '-p', all, String(pid)], { stdio: 'ignore' });
  writeFileSync(`/proc/${postmaster}/autogroup`, '0');
  console.log(`postgres ${postmaster}: affinity ${all}, ${readFileSync(`/proc/${postmaster}/autogroup`, 'utf8').trim()}`);
  process.exit(0);
}
const contender = CONTENDERS[opt.contender];
const profile = PROFILES[opt.profile];
if (!contender) throw new Error(`--contender must be one of ${Object.keys(CONTENDERS).join(', ')}`);
if (!profile) throw new Error(`--profile must be one of ${Object.keys(PROFILES).join(', ')}`);
const N = opt.users ? Number(opt.users) : profile.users;
const K = profile.roomSize;
const rateFactor = Number(opt['rate-factor']);
const rate = N * profile.perUserPerS * rateFactor;
const warmupMs = Number(opt.warmup) * 1000;
const measureMs = Number(opt.duration) * 1000;
const drainMs = Number(opt.drain) * 1000;
const PUSH_N = Number(opt.push);
if (!Number.isInteger(PUSH_N) || PUSH_N < 0) throw new Error('--push must be a whole number of push users');
if (PUSH_N > 0 && opt.contender !== 'O') throw new Error('--push needs contender O');
if (PUSH_N > N / K) throw new Error(`--push ${PUSH_N}: at most one push user per room (${N / K} rooms)`);
let runTag = '';
const baseName = () => `${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}_${opt.contender.replace('+', 'plus')}_${opt.profile}_x${rateFactor}${opt.label ? `_${opt.label}` : ''}`;
let name = '';
const resultsDir = join(here, 'results');
mkdirSync(join(resultsDir, 'logs'), { recursive: true });
const port = contender.ports;
const node = process.execPath;
const log = (...a) => process.stderr.write(`[bench] ${a.join(' ')}\n`);
// The machine is shared (other people build and test on it) and the kernel has autogroup
// scheduling on, so per-process nice does not work across sessions: we raise the *autogroup*
// priority of our session (runner, SUT, generator) and of PostgreSQL's for the run, so that other
// tenants' jobs get only what we leave idle, and put PostgreSQL's back afterwards.
const NICE = String(Number(opt.nice));
function autogroupNice(pid) {
  const m = /nice\s+(-?\d+)/.exec(readFileSync(`/proc/${pid}/autogroup`, 'utf8'));
  return m ? Number(m[1]) : 0;
}
function setAutogroupNice(pid, nice) {
  writeFileSync(`/proc/${pid}/autogroup`, String(nice));
  if (autogroupNice(pid) !== nice) throw new Error(`could not set the autogroup nice of ${pid} to ${nice}`);
}
const ownAutogroupNice = autogroupNice(process.pid);
setAutogroupNice(process.pid, Number(NICE));
process.on('exit', () => setAutogroupNice(process.pid, ownAutogroupNice));

// ---------------------------------------------------------------- preconditions
function fdLimit() {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  return Number(line.split(/\s+/)[3]);
}
if (fdLimit() < N + 2000) throw new Error(`open-file limit ${fdLimit()} is too low for ${N} sockets: run \`ulimit -n 1048576\` (or as high as allowed) first`);
const portBusy = (p) =>
  new Promise((res) => {
    const s = connect(p, '127.0.0.1');
    s.once('connect', () => (s.destroy(), res(true)));
    s.once('error', () => res(false));
  });
if (await portBusy(port)) throw new Error(`port ${port} is already in use: a stale server would be measured`);
const pinSelf = () => execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
pinSelf();

// ---------------------------------------------------------------- processes
const children = new Set();
function start(cmd, args, { cwd, env, logFile, ipc = false }) {
  const fd = openSync(logFile, 'a');
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', fd, fd, ...(ipc ? ['ipc'] : [])] });
  closeSync(fd);
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
/** SIGTERM, then SIGKILL after `ms`; tells how long it took and whether it had to kill. */
async function stop(child, ms = 15_000) {
  if (child.exitCode !== null || child.signalCode !== null) return { ms: 0, killed: false };
  const t0 = Date.now();
  let killed = false;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const t = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, ms);
  await exited;
  clearTimeout(t);
  return { ms: Date.now() - t0, killed };
}
async function waitReady(child, check, what, ms = 120_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${what} exited during start-up with code ${child.exitCode}`);
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not become ready in ${ms / 1000} s`);
}
const healthy = () =>
  fetch(`http://127.0.0.1:${port}/api/health`).then(
    (r) => r.ok,
    () => false,
  );

function apiEnv() {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    API_PORT: String(port),
    DATABASE_URL: benchDbUrl(),
    JWT_SECRET,
    RATE_SEND_PER_MINUTE: '1000000',
    RATE_LOGIN_PER_MINUTE: '1000000',
    // The generator opens sockets 100 at a time from one address; the cap on sessions still in
    // their handshake (64 per address by default) acts only during that ramp.
    SOCKET_HANDSHAKES_PER_ADDRESS: '100000',
    CORS_ORIGINS: ORIGIN,
    ACCESS_TOKEN_TTL_SECONDS: '86400',
    DATA_DIR: '/tmp/bench-api-data',
    ...profileEnv(),
    ...(pushSvc ? { PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true', PUSH_CA_FILE: pushCaFile } : {}),
  };
}
// --cpu-profile: the SUT writes a V8 profile of the measured window next to the result (diagnosis only:
// profiling costs CPU, so such runs are not scored).
const profileEnv = () => (opt['cpu-profile'] ? { BENCH_CPU_PROFILE: join(resultsDir, `${name}.cpuprofile`) } : {});
const apiMain = join(opt['api-dir'], 'dist/api/apps/api/src/main.js');

function startSut(logFile) {
  const probe = join(here, 'lib/sut-probe.mjs');
  if (opt.contender === 'O') {
    if (!existsSync(apiMain)) throw new Error(`${apiMain} is missing: build the API in ${opt['api-dir']} first (see bench/README.md)`);
    return start('taskset', ['-c', '0', node, '--import', probe, apiMain], { cwd: opt['api-dir'], env: apiEnv(), logFile, ipc: true });
  }
  const env = { PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(port), ...profileEnv() };
  if (contender.db) env.DATABASE_URL = benchDbUrl();
  return start('taskset', ['-c', '0', node, '--import', probe, join(here, 'servers/ceiling.mjs')], { cwd: root, env, logFile, ipc: true });
}

/** 'reset' starts the SUT's event-loop window; 'report' ends it and answers with the figures. */
function askProbe(child, cmd) {
  if (cmd === 'reset') {
    child.send({ benchProbe: true, cmd });
    return Promise.resolve(null);
  }
  return new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error('the SUT probe did not report within 10 s')), 10_000);
    const onMsg = (m) => {
      if (m && m.benchProbe === true) {
        clearTimeout(t);
        child.off('message', onMsg);
        res(m);
      }
    };
    child.on('message', onMsg);
    child.send({ benchProbe: true, cmd });
  });
}

// PostgreSQL runs as the system service; pin the postmaster and every child to core 0 for the run
// (new backends inherit the postmaster's mask) and give the original masks back afterwards.
const pgPinned = new Map();
function affinity(pid) {
  return execFileSync('taskset', ['-c', '-p', String(pid)]).toString().trim().split(':').pop().trim();
}
let pgAutogroupNice = null;
function pinPostgres(postmaster, childrenOfPm) {
  if (pgAutogroupNice === null) {
    pgAutogroupNice = autogroupNice(postmaster);
    setAutogroupNice(postmaster, Number(NICE));
  }
  for (const pid of [postmaster, ...childrenOfPm]) {
    try {
      if (!pgPinned.has(pid)) pgPinned.set(pid, affinity(pid));
      execFileSync('taskset', ['-a', '-c', '-p', '0', String(pid)], { stdio: 'ignore' });
    } catch (e) {
      log(`could not pin postgres pid ${pid}: ${e.message}`);
    }
  }
}
function unpinPostgres(postmaster, childrenOf) {
  const all = new Set([postmaster, ...childrenOf(postmaster)]);
  const original = pgPinned.get(postmaster) ?? '0-1';
  for (const pid of all) {
    try {
      execFileSync('taskset', ['-a', '-c', '-p', pgPinned.get(pid) ?? original, String(pid)], { stdio: 'ignore' });
    } catch {
      // exited
    }
  }
  pgPinned.clear();
  if (pgAutogroupNice !== null) {
    setAutogroupNice(postmaster, pgAutogroupNice);
    pgAutogroupNice = null;
  }
}

// ---------------------------------------------------------------- other tenants
// This machine is shared (other people build and test on it), and /proc/stat sees everything.
// "Foreign" CPU = busy time of both cores minus the CPU of our own processes. A run waits until
// the machine is quiet before it starts, and the report carries the foreign CPU of the window.
// What counts is core 0 (the SUT's core): its busy time minus the SUT, PostgreSQL and the kernel's
// irq/softirq time (loopback networking). Core 1's foreign load shows in the generator checks.
const FOREIGN_MAX_PCT = 10;
function foreignPct(d) {
  const ours0 = (d.groups.sut?.pct ?? 0) + (d.groups.postgres?.pct ?? 0);
  return d.cores['0'].busyPct - d.cores['0'].irqPct - ours0;
}
function foreignCore1Pct(d) {
  const ours1 = (d.groups.generator?.pct ?? 0) + (d.groups.runner?.pct ?? 0) + (d.groups.push?.pct ?? 0);
  return d.cores['1'].busyPct - d.cores['1'].irqPct - ours1;
}
async function waitQuiet(pids, pm, maxS) {
  const until = Date.now() + maxS * 1000;
  let quietFor = 0;
  let prev = snapshot({ pids, postmaster: pm });
  let waited = false;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = snapshot({ pids, postmaster: pm });
    const d = delta(prev, now);
    const f = foreignPct(d) + foreignCore1Pct(d);
    prev = now;
    quietFor = f <= FOREIGN_MAX_PCT ? quietFor + 1 : 0;
    if (quietFor >= 5) {
      if (waited) log('the machine is quiet again');
      return;
    }
    if (!waited && f > FOREIGN_MAX_PCT) {
      log(`other processes use ${f.toFixed(0)}% CPU: waiting for 5 quiet seconds (max ${maxS} s)`);
      waited = true;
    }
  }
  log(`WARNING: the machine never became quiet; measuring anyway (the result records the foreign CPU)`);
}

// ---------------------------------------------------------------- push (--push N)
// N users without a socket, one per room (spread over the rooms), each with a session and a push
// subscription to a device of bench/push-service.mjs (core 1). Latency of a push = its arrival at
// the service − the message's messages.created_at (same clock).
const pushCaFile = join(tmpdir(), `bench-push-ca-${process.pid}.pem`);
let pushSvc = null;
process.on('exit', () => rmSync(pushCaFile, { force: true }));
/** Sends `cmd` (if any) to the push service and resolves with its next message carrying `key`. */
function askPush(child, cmd, key, ms = 10_000) {
  return new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error(`the push service did not answer ${cmd ?? key} within ${ms / 1000} s`)), ms);
    const onMsg = (m) => {
      if (m && key in m) {
        clearTimeout(t);
        child.off('message', onMsg);
        res(m);
      }
    };
    child.on('message', onMsg);
    if (cmd) child.send({ cmd });
  });
}
async function startPush(logFile) {
  const child = start('taskset', ['-c', '1', node, join(here, 'push-service.mjs'), String(PUSH_N), pushCaFile], { cwd: root, env: { PATH: process.env.PATH }, logFile, ipc: true });
  const ready = await askPush(child, null, 'ready', 30_000);
  return { child, devices: ready.devices };
}
/** One push user in every (rooms / N)-th room, with one device of the push service each. */
function makePushUsers(users, devices) {
  const chats = users.filter((u) => u.pos === 0).map((u) => u.chatId);
  return devices.map((device, i) => ({ id: randomUUID(), sessionId: randomUUID(), chatId: chats[Math.floor((i * chats.length) / devices.length)], device }));
}
/**
 * After the generator: waits (≤ --drain) until every message of the run in a push user's room has
 * reached the push service, then times the pushes of the messages created in the measured window.
 */
async function measurePush(child, pushUsers, window) {
  const perChat = new Map();
  for (const u of pushUsers) perChat.set(u.chatId, [...(perChat.get(u.chatId) ?? []), u.device.id]);
  const msgs = await messagesIn(runTag, [...perChat.keys()]);
  const expectedRun = msgs.reduce((s, m) => s + perChat.get(m.chatId).length, 0);
  const t0 = Date.now();
  while ((await askPush(child, 'count', 'count')).count < expectedRun && Date.now() - t0 < drainMs) await new Promise((r) => setTimeout(r, 250));
  const waitedMs = Date.now() - t0;
  const rep = await askPush(child, 'report', 'arrivals');
  const byKey = new Map(msgs.map((m) => [`${m.chatId}:${m.seq}`, m]));
  const deviceChat = new Map(pushUsers.map((u) => [u.device.id, u.chatId]));
  const inWindow = (m) => m.createdMs >= window.start && m.createdMs < window.end;
  const seen = new Set();
  const hist = newHistogram();
  let deliveredRun = 0;
  let delivered = 0;
  let dup = 0;
  let misrouted = 0;
  let unknown = 0;
  let negative = 0;
  for (const [device, at, chatId, seq] of rep.arrivals) {
    const m = byKey.get(`${chatId}:${seq}`);
    if (!m) unknown += 1;
    else if (deviceChat.get(device) !== chatId) misrouted += 1;
    else if (seen.has(`${device}:${chatId}:${seq}`)) dup += 1;
    else {
      seen.add(`${device}:${chatId}:${seq}`);
      deliveredRun += 1;
      if (inWindow(m)) {
        delivered += 1;
        if (at < m.createdMs) negative += 1; // clock step: recorded as 0
        recordMs(hist, Math.max(0, at - m.createdMs));
      }
    }
  }
  const expected = msgs.filter(inWindow).reduce((s, m) => s + perChat.get(m.chatId).length, 0);
  return {
    users: pushUsers.length,
    rooms: perChat.size,
    expected,
    delivered,
    missing: expected - delivered,
    latency: summarize(hist),
    run: { expected: expectedRun, delivered: deliveredRun, missing: expectedRun - deliveredRun, waitedMs },
    dup,
    misrouted,
    unknown,
    negative,
    requests: rep.requests,
    errors: rep.errors,
  };
}

// ---------------------------------------------------------------- main
let postmaster = null;
let childrenOfFn = null;
async function runOnce() {
  runTag = `r${Date.now().toString(36)}`;
  name = baseName();
  const { childrenOf } = await import('./lib/procstat.mjs');
  childrenOfFn = childrenOf;
  const pgInfo = contender.db ? await serverInfo() : null;
  const users = makeUsers(N, K);
  const sutLog = join(resultsDir, 'logs', `${name}.sut.log`);
  let pushUsers = [];
  if (PUSH_N > 0) {
    const svc = await startPush(join(resultsDir, 'logs', `${name}.push.log`));
    pushSvc = svc.child;
    pushUsers = makePushUsers(users, svc.devices);
  }

  if (contender.db) {
    await ensureDatabase();
    if (!(await schemaReady())) {
      log('bench database has no schema yet: starting the API once to run its migrations');
      const m = start(node, [apiMain], { cwd: opt['api-dir'], env: apiEnv(), logFile: sutLog });
      await waitReady(m, healthy, 'API (migrations)');
      await stop(m);
    }
    log(`seeding ${N} users, ${N} sessions, ${N / K} chats of ${K}`);
    await seed(users, K);
    if (pushUsers.length > 0) {
      log(`seeding ${pushUsers.length} push users (no socket, one push subscription each) in ${new Set(pushUsers.map((u) => u.chatId)).size} chats`);
      await seedPush(pushUsers);
    }
    postmaster = pgInfo.postmaster;
    if (!opt['no-pin-pg']) pinPostgres(postmaster, childrenOf(postmaster));
  }
  if (contender.auth === 'token') signTokens(users, JWT_SECRET);

  log(`starting contender ${opt.contender} on 127.0.0.1:${port} (core 0)`);
  const sut = startSut(sutLog);
  await waitReady(sut, opt.contender === 'O' ? healthy : () => portBusy(port), `contender ${opt.contender}`);
  if (postmaster && !opt['no-pin-pg']) pinPostgres(postmaster, childrenOf(postmaster)); // the SUT's pool backends

  const stats = contender.db ? await statsClient() : null;
  await waitQuiet({ sut: sut.pid, runner: process.pid, ...(pushSvc ? { push: pushSvc.pid } : {}) }, postmaster, Number(opt['quiet-wait']));

  const genCfgPath = join(resultsDir, `${name}.generator-config.json`);
  const genOut = join(resultsDir, `${name}.generator.json`);
  writeFileSync(
    genCfgPath,
    JSON.stringify({
      contender: opt.contender,
      url: `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`,
      origin: ORIGIN,
      auth: contender.auth,
      payload: contender.payload,
      echo: contender.echo,
      roomSize: K,
      rate,
      warmupMs,
      measureMs,
      drainMs,
      settleMs: 2000,
      rampBatch: 100,
      ackTimeoutMs: 10_000,
      seed: Number(opt.seed),
      runTag,
      out: genOut,
      users: users.map((u) => ({ id: u.id, token: u.token, room: u.room, pos: u.pos, chatId: u.chatId, probe: u.probe })),
    }),
  );

  log(`generator: ${N} sockets, ${K}/room, ${rate.toFixed(1)} msg/s offered, warm-up ${warmupMs / 1000} s, measured ${measureMs / 1000} s (core 1)`);
  const gen = spawn('taskset', ['-c', '1', node, join(here, 'generator.mjs'), genCfgPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(gen);
  const genExit = once(gen, 'exit');
  const pids = { sut: sut.pid, generator: gen.pid, runner: process.pid, ...(pushSvc ? { push: pushSvc.pid } : {}) };
  const snap = () => snapshot({ pids, postmaster });
  const timeline = [];
  let last = snap();
  const sampler = setInterval(() => {
    const s = snap();
    const d = delta(last, s);
    timeline.push({ at: s.at, sutPct: d.groups.sut.pct, pgPct: d.groups.postgres?.pct ?? 0, genPct: d.groups.generator.pct, core0: d.cores['0']?.busyPct, core1: d.cores['1']?.busyPct, irq0: d.cores['0']?.irqPct, irq1: d.cores['1']?.irqPct, foreign0: foreignPct(d), foreign1: foreignCore1Pct(d) });
    last = s;
  }, 1000);

  let snapStart = null;
  let snapEnd = null;
  let pgStart = null;
  let pgEnd = null;
  let sutProbe = null;
  const phases = {};
  const lines = createInterface({ input: gen.stdout });
  for await (const line of lines) {
    const p = JSON.parse(line);
    phases[p.phase] = p;
    if (p.phase === 'connected') log(`all ${N} sockets connected in ${(p.rampMs / 1000).toFixed(1)} s`);
    if (p.phase === 'measure-start') {
      snapStart = snap();
      await askProbe(sut, 'reset');
      if (stats) pgStart = await tableCounters(stats);
      log('measuring');
    }
    if (p.phase === 'measure-end') {
      snapEnd = snap();
      sutProbe = await askProbe(sut, 'report');
      if (stats) pgEnd = await tableCounters(stats);
      log('measured; draining');
    }
  }
  const [code] = await genExit;
  clearInterval(sampler);
  if (code !== 0) throw new Error(`generator failed with exit code ${code} (see its stderr above)`);
  const g = JSON.parse(readFileSync(genOut, 'utf8'));
  let push = null;
  if (pushSvc) {
    log('waiting for the pushes');
    push = await measurePush(pushSvc, pushUsers, g.window);
    await stop(pushSvc);
    pushSvc = null;
  }

  const cpu = delta(snapStart, snapEnd);
  const sutCpuPct = cpu.groups.sut.pct + (cpu.groups.postgres?.pct ?? 0);
  const foreignCpuPct = foreignPct(cpu);
  const db = contender.db ? await verifyPersistence(runTag, g.ackedBitmap, g.messages, g.window) : null;
  let pgDelta = null;
  if (pgStart && pgEnd) {
    const s = (pgEnd.at - pgStart.at) / 1000;
    pgDelta = {
      seconds: s,
      messagesInsPerS: ((pgEnd.tables.messages?.ins ?? 0) - (pgStart.tables.messages?.ins ?? 0)) / s,
      chatEventsInsPerS: ((pgEnd.tables.chat_events?.ins ?? 0) - (pgStart.tables.chat_events?.ins ?? 0)) / s,
      chatsUpdPerS: ((pgEnd.tables.chats?.upd ?? 0) - (pgStart.tables.chats?.upd ?? 0)) / s,
      commitsPerS: (pgEnd.commits - pgStart.commits) / s,
      rollbacksPerS: (pgEnd.rollbacks - pgStart.rollbacks) / s,
    };
  }
  await stats?.end();
  const sutStop = await stop(sut);
  if (sutStop.killed) log(`the SUT did not exit within 15 s of SIGTERM: killed`);
  if (postmaster && !opt['no-pin-pg']) unpinPostgres(postmaster, childrenOf);

  const logText = readFileSync(sutLog, 'utf8');
  const sutLogLevels = { warn: (logText.match(/"level":40/g) ?? []).length, error: (logText.match(/"level":50/g) ?? []).length, fatal: (logText.match(/"level":60/g) ?? []).length };

  const c = g.correctness;
  const errorRate = (c.errors + c.timeouts) / Math.max(1, g.messages);
  const lostTotal = c.lost + (c.echoMissing ?? 0) + (db ? db.ackedMissing : 0);
  const dupTotal = c.dup + c.echoDup + (db ? db.dupInDb : 0);
  const verdict = {
    deliveryP99: g.latency.delivery.p99 <= SLO.deliveryP99Ms,
    noLossNoDup: lostTotal === 0 && dupTotal === 0 && c.misrouted === 0,
    errors: errorRate <= SLO.errorRate,
    sutCpu: sutCpuPct <= SLO.sutCpuPct,
  };
  verdict.sustainable = Object.values(verdict).every(Boolean);
  const validity = {
    generatorCpuPct: cpu.groups.generator.pct,
    generatorElP99Ms: g.generator.eventLoopDelayMs.p99,
    foreignCpuPct,
    foreignCore1Pct: foreignCore1Pct(cpu),
    valid: cpu.groups.generator.pct <= VALID.generatorCpuPct && g.generator.eventLoopDelayMs.p99 <= VALID.generatorElP99Ms && foreignCpuPct <= FOREIGN_MAX_PCT,
  };
  delete g.ackedBitmap;
  const result = {
    name,
    contender: opt.contender,
    profile: opt.profile,
    rateFactor,
    users: N,
    roomSize: K,
    offeredRate: rate,
    runTag,
    at: new Date().toISOString(),
    machine: { cpu: cpus()[0].model, cores: cpus().length, memGiB: +(totalmem() / 2 ** 30).toFixed(1), kernel: execFileSync('uname', ['-r']).toString().trim(), node: process.version },
    postgres: pgInfo ? { version: pgInfo.version, settings: pgInfo.settings, pinned: !opt['no-pin-pg'] } : null,
    generator: g,
    cpu,
    sutCpuPct,
    sutProbe,
    db,
    pg: pgDelta,
    push,
    sutLogLevels,
    sutStop,
    errorRate,
    lostTotal,
    dupTotal,
    verdict,
    validity,
    cpuTimeline: timeline,
  };
  const out = join(resultsDir, `${name}.json`);
  writeFileSync(out, JSON.stringify(result, null, 1));
  const L = g.latency;
  const f = (x) => (x === undefined ? '-' : x.toFixed(1));
  log(`result: ${out}`);
  return { result, summary: 
    [
      `${opt.contender} ${opt.profile} x${rateFactor}: offered ${g.throughput.offeredPerS.toFixed(0)} msg/s, acks ${g.throughput.acksPerS.toFixed(0)}/s, deliveries ${g.throughput.deliveriesPerS.toFixed(0)}/s`,
      `  delivery ms p50 ${f(L.delivery.p50)} p95 ${f(L.delivery.p95)} p99 ${f(L.delivery.p99)} p99.9 ${f(L.delivery.p999)} max ${f(L.delivery.max)} (n=${L.delivery.count})`,
      `  ack      ms p50 ${f(L.ack.p50)} p95 ${f(L.ack.p95)} p99 ${f(L.ack.p99)} p99.9 ${f(L.ack.p999)} max ${f(L.ack.max)} (n=${L.ack.count})`,
      ...(push
        ? [
            `  push     ms p50 ${f(push.latency.p50)} p95 ${f(push.latency.p95)} p99 ${f(push.latency.p99)} max ${f(push.latency.max)} (delivered ${push.delivered}/${push.expected} in the window, missing ${push.missing}; run ${push.run.delivered}/${push.run.expected} after ${(push.run.waitedMs / 1000).toFixed(1)} s; dup ${push.dup} misrouted ${push.misrouted} unknown ${push.unknown} errors ${push.errors.length})`,
          ]
        : []),
      `  errors ${c.errors} timeouts ${c.timeouts} ${JSON.stringify(c.errorCodes)} lost ${lostTotal} dup ${dupTotal} misrouted ${c.misrouted} closes ${c.unexpectedCloses}${db ? ` db: rows ${db.rows} ackedMissing ${db.ackedMissing} storedUnacked ${db.storedUnacked}` : ''}`,
      `  CPU: SUT ${sutCpuPct.toFixed(1)}% (node ${cpu.groups.sut.pct.toFixed(1)}%, pg ${(cpu.groups.postgres?.pct ?? 0).toFixed(1)}%), core0 ${cpu.cores['0'].busyPct.toFixed(1)}%, generator ${cpu.groups.generator.pct.toFixed(1)}% (EL p99 ${g.generator.eventLoopDelayMs.p99.toFixed(1)} ms), SUT EL p99 ${sutProbe.eventLoopDelayMs.p99.toFixed(1)} ms`,
      `  foreign CPU (other tenants) core0 ${foreignCpuPct.toFixed(1)}% core1 ${validity.foreignCore1Pct.toFixed(1)}%, irq/softirq core0 ${cpu.cores['0'].irqPct.toFixed(1)}%; sustainable: ${verdict.sustainable} ${JSON.stringify(verdict)}; valid: ${validity.valid}`,
    ].join('\n') };
}

async function main() {
  const attempts = Math.max(1, Number(opt.attempts));
  let best = null;
  for (let a = 1; a <= attempts; a++) {
    const run = await runOnce();
    const f = run.result.validity.foreignCpuPct;
    if (!best || f < best.result.validity.foreignCpuPct) best = run;
    if (f <= FOREIGN_MAX_PCT) break;
    log(`attempt ${a}/${attempts}: other tenants used ${f.toFixed(0)}% CPU during the window${a < attempts ? '; running again' : ''}`);
  }
  console.log(best.summary);
  if (best.result.validity.foreignCpuPct > FOREIGN_MAX_PCT) log(`WARNING: best attempt still had ${best.result.validity.foreignCpuPct.toFixed(0)}% foreign CPU: ${best.result.name}`);
}

async function cleanup() {
  for (const ch of Array.from(children)) await stop(ch, 5000).catch(() => undefined);
  if (postmaster && (pgPinned.size > 0 || pgAutogroupNice !== null)) unpinPostgres(postmaster, childrenOfFn);
}
process.on('SIGINT', () => {
  log('interrupted: stopping children and restoring PostgreSQL affinity');
  cleanup().finally(() => process.exit(130));
});
try {
  await main();
} catch (e) {
  log(`FAILED: ${e instanceof Error ? e.stack : e}`);
  await cleanup();
  process.exit(1);
}
await cleanup();
