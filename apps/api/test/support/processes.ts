import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { testEnv, type TestEnv } from './app.js';
import { freePort, redisAnswers } from './ports.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

async function until(check: () => Promise<boolean>, what: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A private, memory-only redis-server on its own port, for tests that stop, restart or freeze
 * Redis (never the shared one). `stop` + `start` is a restart that loses every key, as a real
 * restart without persistence does; `pause`/`resume` freeze it (SIGSTOP) with connections open.
 */
export class PrivateRedis {
  private proc: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    return redis;
  }

  get running(): boolean {
    return this.proc !== null;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.proc = spawn(process.env.REDIS_SERVER_PATH ?? 'redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await until(() => redisAnswers(this.port), 'redis-server', 10_000);
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    this.proc = null;
    if (!proc || proc.exitCode !== null) return;
    proc.kill('SIGCONT');
    proc.kill('SIGKILL');
    await once(proc, 'exit');
  }

  pause(): void {
    this.proc?.kill('SIGSTOP');
  }

  resume(): void {
    this.proc?.kill('SIGCONT');
  }
}

/** An API instance in a process of its own (apps/api/src/main.ts from source), to kill or stop by signal. */
export class ChildApi {
  private lines: string[] = [];

  private constructor(
    readonly proc: ChildProcess,
    readonly url: string,
  ) {}

  static async start(env: TestEnv, port?: number): Promise<ChildApi> {
    const apiPort = port ?? (await freePort());
    const proc = spawn(process.execPath, ['--import', './apps/api/test/support/ts-register.mjs', 'apps/api/src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...(await testEnv({ HOST: '127.0.0.1', API_PORT: String(apiPort), ...env })) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child = new ChildApi(proc, `http://127.0.0.1:${apiPort}`);
    const keep = (chunk: Buffer): void => {
      child.lines.push(...chunk.toString().split('\n').filter(Boolean));
      if (child.lines.length > 400) child.lines.splice(0, child.lines.length - 400);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    const exited = once(proc, 'exit').then(() => {
      throw new Error(`API child exited early:\n${child.output()}`);
    });
    const healthy = (): Promise<boolean> => child.http.get('/api/health').then((r) => r.status === 200, () => false);
    const ready = until(async () => proc.exitCode !== null || proc.signalCode !== null || (await healthy()), 'API child', 60_000);
    try {
      await Promise.race([ready, exited]);
    } finally {
      ready.catch(() => undefined);
      exited.catch(() => undefined);
    }
    return child;
  }

  get http(): TestAgent {
    return request(this.url);
  }

  output(): string {
    return this.lines.join('\n');
  }

  /** Sends `signal` and resolves with the exit code (or the signal that ended it). */
  async stop(signal: NodeJS.Signals): Promise<number | string | null> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return this.proc.exitCode ?? this.proc.signalCode;
    const exit = once(this.proc, 'exit') as Promise<[number | null, string | null]>;
    this.proc.kill(signal);
    const [code, sig] = await exit;
    return code ?? sig;
  }
}
