// PostgreSQL's share of a message, without Node: replays a contender's per-message SQL with pgbench
// (extended protocol, unnamed statements, like node-postgres) against the seeded bench database,
// PostgreSQL pinned to core 0 and pgbench to core 1, and reports tx/s and PostgreSQL CPU per tx.
//   node bench/pg-replay.mjs [o-send|o-send-v1|cplus-insert] [--clients 8] [--seconds 15] [--protocol extended|prepared]
// Run it after a bench run of the same profile (it uses that run's seeded users and chats).
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { benchDbUrl, serverInfo } from './lib/db.mjs';
import { childrenOf, delta, snapshot } from './lib/procstat.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opt, positionals } = parseArgs({ allowPositionals: true, options: { clients: { type: 'string', default: '8' }, seconds: { type: 'string', default: '15' }, protocol: { type: 'string', default: 'extended' } } });
const script = positionals[0] ?? 'o-send';
const c = new pg.Client({ connectionString: benchDbUrl() });
await c.connect();
await c.query('DROP TABLE IF EXISTS bench_pairs');
await c.query('CREATE TABLE bench_pairs AS SELECT row_number() OVER (ORDER BY chat_id, user_id)::int AS n, user_id, chat_id FROM chat_members');
await c.query('ALTER TABLE bench_pairs ADD PRIMARY KEY (n)');
const users = (await c.query('SELECT count(*)::int AS n FROM bench_pairs')).rows[0].n;
if (users === 0) throw new Error('the bench database is empty: run a bench of O or C+ first');
// C+ stores seqs of its own without touching chats.last_seq: line the chat heads up with the rows.
await c.query('UPDATE chats c SET last_seq = GREATEST(c.last_seq, coalesce((SELECT max(seq) FROM messages m WHERE m.chat_id = c.id), 0))');
await c.query('CHECKPOINT');
const { postmaster } = await serverInfo();
const pin = (mask) => {
  for (const pid of [postmaster, ...childrenOf(postmaster)]) execFileSync('taskset', ['-a', '-c', '-p', mask, String(pid)], { stdio: 'ignore' });
  writeFileSync(`/proc/${postmaster}/autogroup`, mask === '0' ? '-15' : '0');
};
writeFileSync('/proc/self/autogroup', '-15');
pin('0');
try {
  const before = snapshot({ pids: {}, postmaster });
  const r = spawnSync('taskset', ['-c', '1', 'pgbench', '-n', '-M', opt.protocol, '-c', opt.clients, '-j', '1', '-T', opt.seconds, '-D', `users=${users}`, '-f', join(here, 'sql', `${script}.pgbench`), benchDbUrl()], { encoding: 'utf8' });
  const after = snapshot({ pids: {}, postmaster });
  if (r.status !== 0) throw new Error(`pgbench failed: ${r.stderr}`);
  const d = delta(before, after);
  const tps = Number(/tps = ([\d.]+)/.exec(r.stdout)[1]);
  const latency = /latency average = ([\d.]+ ms)/.exec(r.stdout)[1];
  const pgPct = d.groups.postgres.pct;
  console.log(`${script}: ${opt.clients} clients, ${tps.toFixed(0)} tx/s, latency avg ${latency}, PostgreSQL CPU ${pgPct.toFixed(1)} % of core 0 => ${((pgPct / 100 / tps) * 1000).toFixed(3)} ms CPU per message; core 0 busy ${d.cores['0'].busyPct.toFixed(0)} %`);
} finally {
  pin('0-1');
  await c.query(`DELETE FROM messages WHERE client_id LIKE 'pgb-%'`).catch(() => undefined);
  await c.end();
}
