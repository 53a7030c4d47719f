// Lighthouse on the chat page (not part of `npm test`): starts the built API and web app on a
// fresh database, seeds a dialog with --messages messages, signs the reader in, and runs
// Lighthouse's mobile (default, throttled) and desktop presets on `/?chat=<id>`. Prints the
// scores, TBT, LCP and bytes transferred, and writes each full report to bench/results/.
//
//   source scripts/node24.sh && npm run build && node bench/lighthouse.mjs [--messages 350] [--runs 1]
//
// Needs PostgreSQL (BENCH_PG_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres) and
// Chromium (CHROME_PATH, default /usr/bin/chromium).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import pg from 'pg';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    messages: { type: 'string', default: '350' },
    runs: { type: 'string', default: '1' },
    label: { type: 'string', default: '' },
    'web-port': { type: 'string', default: '4710' },
    'api-port': { type: 'string', default: '4711' },
  },
});
const webPort = Number(opts['web-port']);
const apiPort = Number(opts['api-port']);
const site = `http://127.0.0.1:${webPort}`;
const adminUrl = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function freshDatabase() {
  const name = `lighthouse_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function waitFor(url, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

function start(cmd, args, env) {
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return child;
}

async function json(method, path, body, headers = {}) {
  const res = await fetch(`${site}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return { res, body: text ? JSON.parse(text) : null };
}

async function seed(count) {
  const stamp = Date.now().toString(36);
  const person = (name) => ({ username: `${name}_${stamp}`, email: `${name}_${stamp}@example.test`, displayName: name, password: 'a long enough password 42' });
  const reader = person('reader');
  const writer = person('writer');
  const r = (await json('POST', '/api/auth/register', reader)).body;
  const w = (await json('POST', '/api/auth/register', writer)).body;
  const auth = (v) => ({ authorization: `Bearer ${v.accessToken}` });
  const chat = (await json('POST', '/api/chats', { userIds: [r.user.id] }, auth(w))).body;
  for (let i = 1; i <= count; i += 1) {
    const from = i % 3 === 0 ? r : w;
    const text = `Message ${i}: ${'lorem ipsum dolor sit amet '.repeat(1 + (i % 4))}`.trim();
    await json('POST', `/api/chats/${chat.id}/messages`, { clientId: `lh-${i}`, text }, auth(from));
  }
  return { chat, reader };
}

/** A fresh sign-in per run: SSR rotates refresh tokens, so a cookie is used for one page load. */
async function cookieFor(user) {
  const { res } = await json('POST', '/api/auth/login', { login: user.username, password: user.password });
  const set = res.headers.getSetCookie().map((c) => c.split(';')[0]);
  return set.join('; ');
}

function summary(lhr) {
  const a = lhr.audits;
  return {
    performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
    accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
    tbtMs: Math.round(a['total-blocking-time']?.numericValue ?? NaN),
    lcpMs: Math.round(a['largest-contentful-paint']?.numericValue ?? NaN),
    fcpMs: Math.round(a['first-contentful-paint']?.numericValue ?? NaN),
    cls: Number((a['cumulative-layout-shift']?.numericValue ?? NaN).toFixed(3)),
    transferKiB: Math.round((a['total-byte-weight']?.numericValue ?? NaN) / 1024),
    domNodes: a['dom-size']?.numericValue ?? null,
  };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'lighthouse-data-'));
  const databaseUrl = await freshDatabase();
  const api = start(process.execPath, ['dist/api/apps/api/src/main.js'], {
    NODE_ENV: 'production', DATABASE_URL: databaseUrl, DATA_DIR: dataDir, API_PORT: String(apiPort), HOST: '127.0.0.1',
    PUBLIC_URL: site, CORS_ORIGINS: site, LOG_LEVEL: 'warn', RATE_SEND_PER_MINUTE: '100000', RATE_LOGIN_PER_MINUTE: '1000', RATE_REGISTER_PER_HOUR: '1000',
  });
  const web = start(process.execPath, ['.output/server/index.mjs'], {
    NODE_ENV: 'production', PORT: String(webPort), HOST: '127.0.0.1', NITRO_PORT: String(webPort), NITRO_HOST: '127.0.0.1',
    NUXT_API_INTERNAL_URL: `http://127.0.0.1:${apiPort}`, NUXT_PUBLIC_SOCKET_URL: `http://127.0.0.1:${apiPort}`,
  });
  let chrome;
  try {
    await waitFor(`http://127.0.0.1:${apiPort}/api/health`, 120_000);
    await waitFor(`${site}/login`, 60_000);
    const count = Number(opts.messages);
    const { chat, reader } = await seed(count);
    const outDir = join(root, 'bench/results');
    mkdirSync(outDir, { recursive: true });
    const results = [];
    for (const [preset, config] of [['mobile', undefined], ['desktop', desktopConfig]]) {
      for (let run = 1; run <= Number(opts.runs); run += 1) {
        // A fresh browser profile per run: cookies the previous run's page stored would be sent
        // before the run's own and sign it out.
        await chrome?.kill();
        chrome = await chromeLauncher.launch({
          chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
          chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
        });
        const cookie = await cookieFor(reader);
        const flags = { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'], extraHeaders: { Cookie: cookie } };
        const result = await lighthouse(`${site}/?chat=${chat.id}`, flags, config);
        if (!result) throw new Error('lighthouse returned nothing');
        if (new URL(result.lhr.finalDisplayedUrl).pathname !== '/') throw new Error(`the ${preset} run ended on ${result.lhr.finalDisplayedUrl}, not the chat`);
        const file = join(outDir, `lighthouse-${preset}${opts.label ? `-${opts.label}` : ''}-${run}-${Date.now()}.json`);
        writeFileSync(file, result.report);
        results.push({ preset, run, ...summary(result.lhr), file: file.slice(root.length + 1) });
      }
    }
    console.log(JSON.stringify({ messages: count, results }, null, 2));
  } finally {
    await chrome?.kill();
    web.kill('SIGTERM');
    api.kill('SIGTERM');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
