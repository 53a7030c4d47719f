// Benchmark runner (METHOD.md §3): starts one contender pinned to core 0, pins PostgreSQL's
// processes to core 0 too, seeds the database with SQL, runs the generator pinned to core 1,
// samples CPU from /proc, checks correctness against the database, writes bench/results/*.json.
//
//   npm run bench -- --contender O --profile P2 [--rate-factor 0.5] [--warmup 10] [--duration 30]
//
// See bench/README.md for every option.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { adopt, askProbe, children, start, stop, waitReady } from './lib/children.mjs';
import { benchDbUrl, ensureDatabase, makeUsers, schemaReady, seed, seedPush, serverInfo, signTokens, statsClient, tableCounters, tableRates, verifyPersistence } from './lib/db.mjs';
import { autogroupNice, fdLimit, FOREIGN_MAX_PCT, portBusy, postgresPinner, restorePostgres, sampleCpu, setAutogroupNice, waitQuiet } from './lib/host.mjs';
import { delta, snapshot } from './lib/procstat.mjs';
import { makePushUsers, measurePush, startPush } from './lib/push-run.mjs';
import { CONTENDERS, PROFILES } from './lib/profiles.mjs';
import { judge, summaryText } from './lib/verdict.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

const JWT_SECRET = 'bench-only-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const ORIGIN = 'http://bench.local';

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
  await restorePostgres();
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
const NICE = Number(opt.nice);
const ownAutogroupNice = autogroupNice(process.pid);
setAutogroupNice(process.pid, NICE);
process.on('exit', () => setAutogroupNice(process.pid, ownAutogroupNice));
const pg = postgresPinner(NICE, log);

// ---------------------------------------------------------------- preconditions
if (fdLimit() < N + 2000) throw new Error(`open-file limit ${fdLimit()} is too low for ${N} sockets: run \`ulimit -n 1048576\` (or as high as allowed) first`);
if (await portBusy(port)) throw new Error(`port ${port} is already in use: a stale server would be measured`);
const pinSelf = () => execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
pinSelf();

// ---------------------------------------------------------------- processes
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

// ---------------------------------------------------------------- push (--push N)
const pushCaFile = join(tmpdir(), `bench-push-ca-${process.pid}.pem`);
let pushSvc = null;
process.on('exit', () => rmSync(pushCaFile, { force: true }));

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
    const svc = await startPush({ devices: PUSH_N, caFile: pushCaFile, logFile: join(resultsDir, 'logs', `${name}.push.log`), cwd: root });
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
    if (!opt['no-pin-pg']) pg.pin(postmaster, childrenOf(postmaster));
  }
  if (contender.auth === 'token') signTokens(users, JWT_SECRET);

  log(`starting contender ${opt.contender} on 127.0.0.1:${port} (core 0)`);
  const sut = startSut(sutLog);
  await waitReady(sut, opt.contender === 'O' ? healthy : () => portBusy(port), `contender ${opt.contender}`);
  if (postmaster && !opt['no-pin-pg']) pg.pin(postmaster, childrenOf(postmaster)); // the SUT's pool backends

  const stats = contender.db ? await statsClient() : null;
  await waitQuiet({ sut: sut.pid, runner: process.pid, ...(pushSvc ? { push: pushSvc.pid } : {}) }, postmaster, Number(opt['quiet-wait']), log);

  const genCfgPath = join(resultsDir, `${name}.generator-config.json`);
  const genOut = join(resultsDir, `${name}.generator.json`);
  const slim = users.map((u) => ({ id: u.id, token: u.token, room: u.room, pos: u.pos, chatId: u.chatId, probe: u.probe }));
  writeFileSync(genCfgPath, JSON.stringify({
    contender: opt.contender, url: `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`, origin: ORIGIN,
    auth: contender.auth, payload: contender.payload, echo: contender.echo, roomSize: K, rate, warmupMs, measureMs, drainMs,
    settleMs: 2000, rampBatch: 100, ackTimeoutMs: 10_000, seed: Number(opt.seed), runTag, out: genOut, users: slim,
  }));

  log(`generator: ${N} sockets, ${K}/room, ${rate.toFixed(1)} msg/s offered, warm-up ${warmupMs / 1000} s, measured ${measureMs / 1000} s (core 1)`);
  const gen = spawn('taskset', ['-c', '1', node, join(here, 'generator.mjs'), genCfgPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  adopt(gen);
  const genExit = once(gen, 'exit');
  const pids = { sut: sut.pid, generator: gen.pid, runner: process.pid, ...(pushSvc ? { push: pushSvc.pid } : {}) };
  const snap = () => snapshot({ pids, postmaster });
  const sampler = sampleCpu(snap);

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
  const timeline = sampler.stop();
  if (code !== 0) throw new Error(`generator failed with exit code ${code} (see its stderr above)`);
  const g = JSON.parse(readFileSync(genOut, 'utf8'));
  let push = null;
  if (pushSvc) {
    log('waiting for the pushes');
    push = await measurePush(pushSvc, pushUsers, g.window, { runTag, drainMs });
    await stop(pushSvc);
    pushSvc = null;
  }

  const cpu = delta(snapStart, snapEnd);
  const sutCpuPct = cpu.groups.sut.pct + (cpu.groups.postgres?.pct ?? 0);
  const db = contender.db ? await verifyPersistence(runTag, g.ackedBitmap, g.messages, g.window) : null;
  const pgDelta = pgStart && pgEnd ? tableRates(pgStart, pgEnd) : null;
  await stats?.end();
  const sutStop = await stop(sut);
  if (sutStop.killed) log(`the SUT did not exit within 15 s of SIGTERM: killed`);
  if (postmaster && !opt['no-pin-pg']) pg.unpin(postmaster, childrenOf);

  const logText = readFileSync(sutLog, 'utf8');
  const sutLogLevels = { warn: (logText.match(/"level":40/g) ?? []).length, error: (logText.match(/"level":50/g) ?? []).length, fatal: (logText.match(/"level":60/g) ?? []).length };

  const { errorRate, lostTotal, dupTotal, verdict, validity } = judge(g, cpu, db, sutCpuPct);
  delete g.ackedBitmap;
  const machine = { cpu: cpus()[0].model, cores: cpus().length, memGiB: +(totalmem() / 2 ** 30).toFixed(1), kernel: execFileSync('uname', ['-r']).toString().trim(), node: process.version };
  const postgres = pgInfo ? { version: pgInfo.version, settings: pgInfo.settings, pinned: !opt['no-pin-pg'] } : null;
  const result = {
    name, contender: opt.contender, profile: opt.profile, rateFactor, users: N, roomSize: K, offeredRate: rate, runTag, at: new Date().toISOString(),
    machine, postgres, generator: g, cpu, sutCpuPct, sutProbe, db, pg: pgDelta, push, sutLogLevels, sutStop,
    errorRate, lostTotal, dupTotal, verdict, validity, cpuTimeline: timeline,
  };
  const out = join(resultsDir, `${name}.json`);
  writeFileSync(out, JSON.stringify(result, null, 1));
  log(`result: ${out}`);
  return { result, summary: summaryText(result) };
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
  if (postmaster && pg.active) pg.unpin(postmaster, childrenOfFn);
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
