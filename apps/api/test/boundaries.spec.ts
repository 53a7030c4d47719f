import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../../..');
const script = join(root, 'scripts/check-boundaries.mjs');

/** Runs the boundary check (part of `npm run lint`) on a source tree. */
function check(src?: string): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(process.execPath, src ? [script, src] : [script], (err, stdout, stderr) => {
      done({ code: err ? Number(err.code ?? 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

describe('the boundary check: data access only in repositories', () => {
  let tree: string;

  beforeAll(async () => {
    tree = await mkdtemp(join(tmpdir(), 'boundaries-'));
    await cp(join(root, 'apps/api/src'), tree, { recursive: true });
  });
  afterAll(() => rm(tree, { recursive: true, force: true }));

  /** Applies `change` to one file of the copy, runs the check, then restores the file. */
  async function withChange(file: string, change: (text: string) => string): Promise<{ code: number; out: string }> {
    const path = join(tree, file);
    const before = await readFile(path, 'utf8');
    await writeFile(path, change(before));
    try {
      return await check(tree);
    } finally {
      await writeFile(path, before);
    }
  }

  const addMethod = (method: string) => (text: string): string => text.replace(/\n}\n$/, `\n${method}\n}\n`);

  it('passes on the sources as they are', async () => {
    expect(await check()).toEqual({ code: 0, out: 'boundaries ok\n' });
    expect(await check(tree)).toEqual({ code: 0, out: 'boundaries ok\n' });
  });

  it.each([
    ['a .query( call in a service', 'messages/sync.service.ts', addMethod("  count(): Promise<unknown> {\n    return this.views.db.query('SELECT 1');\n  }"), /messages\/sync\.service\.ts:\d+: \.query\( outside a repository/],
    ['an SQL template in a gateway', 'chats/chats.gateway.ts', addMethod('  readonly sql = `\n    DELETE FROM chat_members WHERE chat_id = $1`;'), /chats\/chats\.gateway\.ts:\d+: an SQL string outside a repository/],
    ['a query builder in a controller', 'chats/counters.controller.ts', addMethod("  qb = (m: { createQueryBuilder(): unknown }) => m.createQueryBuilder();"), /chats\/counters\.controller\.ts:\d+: createQueryBuilder outside a repository/],
    ['modifyReturning in a listener', 'friendships/presence-fanout.listener.ts', addMethod("  drop = (m: never) => modifyReturning<{ id: string }>(m, 'x', []);"), /presence-fanout\.listener\.ts:\d+: modifyReturning\( outside a repository/],
    ['an entity class used by a service', 'auth/sessions.service.ts', (t: string) => `import { SessionEntity } from './entities/session.entity.js';\n${t}`, /auth\/sessions\.service\.ts: uses entity SessionEntity outside a repository/],
  ])('fails on %s, naming the file and line', async (_what, file, change, message) => {
    const result = await withChange(file, change);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(message);
  });

  it('leaves SQL in repositories, database/ and comments alone', async () => {
    const inComment = await withChange('messages/sync.service.ts', (t) => `/** Mirrors \`SELECT seq FROM chat_events\`. */\n// UPDATE chats SET last_seq = 1\n${t}`);
    expect(inComment.code).toBe(0);
    const inRepository = await withChange('chats/members.repository.ts', addMethod("  async none(m: { query(s: string): Promise<unknown> }): Promise<unknown> {\n    return m.query('DELETE FROM chat_members WHERE false');\n  }"));
    expect(inRepository.code).toBe(0);
  });
});
