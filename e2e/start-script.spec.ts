import { spawn, execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../apps/api/test/support/ports.js';

interface Proc {
  pid: number;
  ppid: number;
  args: string;
}

function processes(): Proc[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] ?? '' }));
}

/** Every process below `root`, however deep. */
function descendants(root: number): Proc[] {
  const all = processes();
  const found: Proc[] = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const next = all.filter((p) => frontier.includes(p.ppid));
    found.push(...next);
    frontier = next.map((p) => p.pid);
  }
  return found;
}

async function waitFor(what: string, ms: number, check: () => Promise<boolean> | boolean): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Whether a GET answers 200; without keep-alive, so that no socket outlives the servers. */
const answers = (url: string): Promise<boolean> =>
  new Promise((resolve) => {
    const req = get(url, { agent: false, timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });

describe('npm start (scripts/start.sh)', () => {
  it('starts the database, API and web app with a readable console, and SIGTERM stops all of them', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'messenger-start-'));
    await chmod(dataDir, 0o755); // as root, PostgreSQL runs as its own user and must reach the folder
    const [apiPort, webPort, pgPort] = [await freePort(), await freePort(), await freePort()];
    const env: Record<string, string | undefined> = {
      ...process.env,
      DATA_DIR: dataDir,
      API_PORT: String(apiPort),
      PORT: String(webPort),
      EMBEDDED_PG_PORT: String(pgPort),
      NODE_ENV: undefined,
      LOG_FORMAT: undefined,
      LOG_LEVEL: undefined,
    };
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'JWT_SECRET', 'PUBLIC_URL', 'NUXT_API_INTERNAL_URL', 'NUXT_PUBLIC_SOCKET_URL']) delete env[name];
    const start = spawn('bash', ['scripts/start.sh'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    start.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    start.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    try {
      await waitFor('the web app and the API', 90_000, async () => {
        if (start.exitCode !== null) throw new Error(`start.sh exited with ${start.exitCode}:\n${output}`);
        return (await answers(`http://127.0.0.1:${webPort}/login`)) && (await answers(`http://127.0.0.1:${apiPort}/api/health`));
      });
      await waitFor('the start-up lines', 10_000, () => /open http:\/\/localhost/.test(output));
      const tree = descendants(start.pid ?? -1);
      expect(tree.some((p) => p.args.includes(`${dataDir}/pg`) && /postgres/.test(p.args))).toBe(true);

      // A person can read it: a line per part, no JSON, no list of every route.
      const lines = output.trim().split('\n');
      expect(lines.length).toBeLessThan(25);
      expect(lines.filter((l) => l.trimStart().startsWith('{'))).toEqual([]);
      expect(output).not.toMatch(/Mapped \{/);
      expect(output).toMatch(/embedded PostgreSQL listening on 127\.0\.0\.1:\d+/);
      expect(output).toMatch(new RegExp(`API listening on port ${apiPort}`));
      expect(output).toContain(`mail is kept on disk in ${dataDir}/mail`);
      expect(output).toMatch(new RegExp(`Listening on http://.*:${webPort}`));

      start.kill('SIGTERM');
      await waitFor('start.sh to exit', 45_000, () => start.exitCode !== null || start.signalCode !== null);
      await waitFor('every child to be gone', 15_000, () => {
        const alive = new Set(processes().map((p) => p.pid));
        return tree.every((p) => !alive.has(p.pid));
      });
      expect(processes().filter((p) => p.args.includes(dataDir))).toEqual([]);
      expect(await answers(`http://127.0.0.1:${webPort}/login`)).toBe(false);
    } finally {
      // Whatever happened above, leave nothing of this start running.
      for (const p of start.pid ? descendants(start.pid) : []) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      if (start.exitCode === null) start.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
