import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import pg from 'pg';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createApp } from '../../src/app.setup.js';
import { loadConfig, type AppConfig, type LogStream } from '../../src/config/app-config.js';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  http: TestAgent;
  /** Base URL once `listen()` was called. */
  url: string;
  listen(): Promise<string>;
  close(): Promise<void>;
}

export type TestEnv = Record<string, string | undefined>;

/** The test database (from global-setup), a fresh data folder and test-friendly limits. */
export async function testEnv(env: TestEnv = {}): Promise<TestEnv> {
  const dataDir = await mkdtemp(join(tmpdir(), 'messenger-test-data-'));
  return {
    NODE_ENV: 'test',
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    DATA_DIR: dataDir,
    JWT_SECRET: 'test-secret-that-is-long-enough-0123456789abcdef',
    RATE_LOGIN_PER_MINUTE: '10000',
    RATE_REGISTER_PER_HOUR: '10000',
    RATE_RECOVERY_PER_HOUR: '10000',
    RATE_SEND_PER_MINUTE: '100000',
    RATE_FRIEND_REQUESTS_PER_HOUR: '10000',
    RATE_UPLOADS_PER_MINUTE: '10000',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  };
}

/** The real API (real PostgreSQL from global-setup) with test-friendly limits, overridable per suite. */
export async function createTestApp(env: TestEnv = {}, opts: { logs?: LogStream } = {}): Promise<TestApp> {
  const config = loadConfig(await testEnv(env));
  if (opts.logs) config.log.stream = opts.logs;
  const app = await createApp(config);
  await app.init();
  const test: TestApp = {
    app,
    config,
    http: request(app.getHttpServer()),
    url: '',
    async listen() {
      await app.listen(0, '127.0.0.1');
      test.url = await app.getUrl();
      test.url = test.url.replace('[::1]', '127.0.0.1');
      return test.url;
    },
    close: () => app.close(),
  };
  return test;
}

/**
 * Two listening API instances on the test database that share one Redis (TEST_REDIS_URL, which the
 * global setup always provides) under a key prefix of their own: the scale-out path.
 */
export async function twoInstances(env: TestEnv = {}): Promise<[TestApp, TestApp]> {
  const redisUrl = process.env.TEST_REDIS_URL;
  if (!redisUrl) throw new Error('TEST_REDIS_URL is not set: the global setup provides it');
  const shared = { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `test-${randomBytes(4).toString('hex')}`, ...env };
  const a = await createTestApp(shared);
  const b = await createTestApp(shared);
  await Promise.all([a.listen(), b.listen()]);
  return [a, b];
}

export interface KeptMail {
  to: string;
  subject: string;
  text: string;
  link?: string;
}

/** Mails the API kept on disk (no SMTP in tests), oldest first. */
export async function readMails(config: AppConfig): Promise<KeptMail[]> {
  const files = await readdir(config.mail.dir).catch(() => [] as string[]);
  const mails = await Promise.all(files.sort().map(async (f) => JSON.parse(await readFile(join(config.mail.dir, f), 'utf8')) as KeptMail));
  return mails;
}

/** Polls until `check` returns a value (for work the API finishes in the background). */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A database of one test file's own, on the server the others use, for work every instance on a
 * database shares: the push queue is claimed by whichever instance polls first, so other files'
 * apps (without this file's push service's certificate) must not see this file's jobs.
 */
export async function ownDatabase(label: string): Promise<string> {
  const shared = process.env.TEST_DATABASE_URL;
  if (!shared) throw new Error('TEST_DATABASE_URL is not set: the global setup provides it');
  const url = new URL(shared);
  const name = `${url.pathname.slice(1)}_${label}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: shared });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  url.pathname = `/${name}`;
  return url.toString();
}
