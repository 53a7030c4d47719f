// The bench database: creation, SQL seeding (no Argon2, no API calls), token signing,
// row counters and the persistence check.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import jwt from 'jsonwebtoken';
import pg from 'pg';

export const PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const BENCH_DB = process.env.BENCH_DB ?? 'bench_messenger';
export const benchDbUrl = () => PG_ADMIN_URL.replace(/\/[^/]*$/, `/${BENCH_DB}`);

async function withClient(url, fn) {
  const c = new pg.Client({ connectionString: url, application_name: 'bench-runner' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function ensureDatabase() {
  await withClient(PG_ADMIN_URL, async (c) => {
    const { rows } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [BENCH_DB]);
    if (rows.length === 0) await c.query(`CREATE DATABASE ${BENCH_DB}`);
  });
}

export async function schemaReady() {
  return withClient(benchDbUrl(), async (c) => {
    const { rows } = await c.query(`SELECT to_regclass('public.messages') IS NOT NULL AS ok`);
    return rows[0].ok === true;
  });
}

/** PostgreSQL facts for the report and the postmaster PID for CPU accounting and pinning. */
export async function serverInfo() {
  return withClient(PG_ADMIN_URL, async (c) => {
    const q = async (sql) => (await c.query(sql)).rows[0];
    const version = (await q('SHOW server_version')).server_version;
    const settings = {};
    for (const name of ['shared_buffers', 'synchronous_commit', 'fsync', 'wal_sync_method', 'max_connections', 'max_wal_size', 'checkpoint_timeout']) {
      settings[name] = (await q(`SHOW ${name}`))[name];
    }
    const dataDir = (await q('SHOW data_directory')).data_directory;
    const postmaster = Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
    return { version, settings, postmaster };
  });
}

/**
 * Users split into rooms of K: user i is in room floor(i/K) at position i%K. One probe per room
 * (position room%K), i.e. 10 % of sockets for K = 10, spread over positions.
 */
export function makeUsers(n, k) {
  if (n % k !== 0) throw new Error(`users (${n}) must be a multiple of the room size (${k})`);
  const chatIds = Array.from({ length: n / k }, () => randomUUID());
  return Array.from({ length: n }, (_, i) => {
    const room = Math.floor(i / k);
    const pos = i % k;
    return { id: randomUUID(), sessionId: randomUUID(), room, pos, chatId: chatIds[room], probe: pos === room % k };
  });
}

/** Replaces every row of the bench database with N users, N sessions and N/K group chats. */
export async function seed(users, k) {
  return withClient(benchDbUrl(), async (c) => {
    await c.query('TRUNCATE users CASCADE');
    const ids = users.map((u) => u.id);
    await c.query(
      `INSERT INTO users (id, username, username_key, email, email_key, display_name, password_hash)
       SELECT id, 'bench_' || n, 'bench_' || n, 'bench_' || n || '@bench.local', 'bench_' || n || '@bench.local', 'Bench User ' || n,
              '$argon2id$v=19$m=19456,t=2,p=1$bench$bench'
         FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [ids],
    );
    await c.query(
      `INSERT INTO sessions (id, user_id, device, user_agent, expires_at)
       SELECT s, u, 'bench', 'bench-generator', now() + interval '2 days' FROM unnest($1::uuid[], $2::uuid[]) AS t(s, u)`,
      [users.map((u) => u.sessionId), ids],
    );
    const rooms = users.filter((u) => u.pos === 0);
    await c.query(
      `INSERT INTO chats (id, kind, title, created_by)
       SELECT c, 'group', 'Bench room ' || n, o FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS t(c, o, n)`,
      [rooms.map((u) => u.chatId), rooms.map((u) => u.id)],
    );
    await c.query(
      `INSERT INTO chat_members (chat_id, user_id, role)
       SELECT c, u, r FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS t(c, u, r)`,
      [users.map((u) => u.chatId), ids, users.map((u) => (u.pos === 0 ? 'owner' : 'member'))],
    );
    await c.query('ANALYZE');
    await c.query('CHECKPOINT');
    const { rows } = await c.query('SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM chat_members)::int AS members');
    if (rows[0].users !== users.length || rows[0].members !== users.length) throw new Error(`seed mismatch: ${JSON.stringify(rows[0])}`);
    void k;
  });
}

/**
 * `--push`: users without a socket, each a member of one of the seeded chats, with a live session
 * and a push subscription to a device of the bench's push service (so every message in their chat
 * is pushed to them).
 */
export async function seedPush(pushUsers) {
  return withClient(benchDbUrl(), async (c) => {
    const ids = pushUsers.map((u) => u.id);
    await c.query(
      `INSERT INTO users (id, username, username_key, email, email_key, display_name, password_hash)
       SELECT id, 'bench_push_' || n, 'bench_push_' || n, 'bench_push_' || n || '@bench.local', 'bench_push_' || n || '@bench.local', 'Bench Push ' || n,
              '$argon2id$v=19$m=19456,t=2,p=1$bench$bench'
         FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [ids],
    );
    await c.query(
      `INSERT INTO sessions (id, user_id, device, user_agent, expires_at)
       SELECT s, u, 'bench', 'bench-push', now() + interval '2 days' FROM unnest($1::uuid[], $2::uuid[]) AS t(s, u)`,
      [pushUsers.map((u) => u.sessionId), ids],
    );
    await c.query(`INSERT INTO chat_members (chat_id, user_id, role) SELECT c, u, 'member' FROM unnest($1::uuid[], $2::uuid[]) AS t(c, u)`, [pushUsers.map((u) => u.chatId), ids]);
    await c.query(
      `INSERT INTO push_subscriptions (user_id, session_id, endpoint, p256dh, auth) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[])`,
      [ids, pushUsers.map((u) => u.sessionId), pushUsers.map((u) => u.device.endpoint), pushUsers.map((u) => u.device.p256dh), pushUsers.map((u) => u.device.auth)],
    );
    await c.query('ANALYZE users, sessions, chat_members, push_subscriptions');
    await c.query('CHECKPOINT');
    const { rows } = await c.query('SELECT count(*)::int AS n FROM push_subscriptions');
    if (rows[0].n !== pushUsers.length) throw new Error(`push seed mismatch: ${rows[0].n} subscriptions`);
  });
}

/** The run's messages in the given chats: chat, seq and created_at (ms since the epoch, µs precision). */
export async function messagesIn(tag, chatIds) {
  return withClient(benchDbUrl(), async (c) => {
    const { rows } = await c.query(
      `SELECT chat_id, seq::bigint AS seq, extract(epoch FROM created_at) * 1000 AS created_ms FROM messages WHERE client_id LIKE $1 AND chat_id = ANY($2::uuid[])`,
      [`${tag}-%`, chatIds],
    );
    return rows.map((r) => ({ chatId: r.chat_id, seq: Number(r.seq), createdMs: Number(r.created_ms) }));
  });
}

export function signTokens(users, secret) {
  for (const u of users) u.token = jwt.sign({ sub: u.id, sid: u.sessionId }, secret, { algorithm: 'HS256', expiresIn: 86_400 });
}

/**
 * A connection opened before the warm-up and kept: a new backend at the window edge (relcache
 * init file rebuilt after the seed's TRUNCATE) stalled every commit for ~0.5 s in early runs.
 */
export async function statsClient() {
  const c = new pg.Client({ connectionString: benchDbUrl(), application_name: 'bench-stats' });
  await c.connect();
  await tableCounters(c);
  return c;
}

export async function tableCounters(c) {
  {
    const { rows } = await c.query(
      `SELECT relname, n_tup_ins::bigint AS ins, n_tup_upd::bigint AS upd, n_tup_hot_upd::bigint AS hot, n_tup_del::bigint AS del
         FROM pg_stat_user_tables WHERE relname IN ('messages', 'chat_events', 'chats', 'sessions', 'users')`,
    );
    const db = (await c.query(`SELECT xact_commit::bigint AS commits, xact_rollback::bigint AS rollbacks FROM pg_stat_database WHERE datname = current_database()`)).rows[0];
    return { at: Date.now(), tables: Object.fromEntries(rows.map((r) => [r.relname, { ins: Number(r.ins), upd: Number(r.upd), hot: Number(r.hot), del: Number(r.del) }])), commits: Number(db.commits), rollbacks: Number(db.rollbacks) };
  }
}

/** Every acked message stored exactly once; rows created per second inside the window. */
export async function verifyPersistence(tag, ackedBitmapB64, messages, window) {
  const acked = Buffer.from(ackedBitmapB64, 'base64');
  return withClient(benchDbUrl(), async (c) => {
    const { rows } = await c.query(`SELECT client_id, count(*)::int AS n FROM messages WHERE client_id LIKE $1 GROUP BY client_id`, [`${tag}-%`]);
    const seen = new Uint8Array(messages);
    let dupInDb = 0;
    for (const r of rows) {
      const g = Number(r.client_id.slice(tag.length + 1));
      if (!Number.isInteger(g) || g < 0 || g >= messages) throw new Error(`unexpected client_id in the database: ${r.client_id}`);
      seen[g] = 1;
      if (r.n > 1) dupInDb += r.n - 1;
    }
    let ackedMissing = 0;
    let storedUnacked = 0;
    let ackedCount = 0;
    for (let g = 0; g < messages; g++) {
      const isAcked = (acked[g >> 3] >> (g & 7)) & 1;
      if (isAcked) ackedCount += 1;
      if (isAcked && !seen[g]) ackedMissing += 1;
      if (!isAcked && seen[g]) storedUnacked += 1;
    }
    const inWindow = (
      await c.query(`SELECT count(*)::int AS n FROM messages WHERE client_id LIKE $1 AND created_at >= to_timestamp($2 / 1000.0) AND created_at < to_timestamp($3 / 1000.0)`, [
        `${tag}-%`,
        window.start,
        window.end,
      ])
    ).rows[0].n;
    return { rows: rows.length, ackedCount, ackedMissing, storedUnacked, dupInDb, rowsInWindowPerS: inWindow / window.seconds };
  });
}

/** Rows and transactions per second between two `tableCounters` readings. */
export function tableRates(from, to) {
  const s = (to.at - from.at) / 1000;
  const rate = (table, field) => ((to.tables[table]?.[field] ?? 0) - (from.tables[table]?.[field] ?? 0)) / s;
  return {
    seconds: s,
    messagesInsPerS: rate('messages', 'ins'),
    chatEventsInsPerS: rate('chat_events', 'ins'),
    chatsUpdPerS: rate('chats', 'upd'),
    commitsPerS: (to.commits - from.commits) / s,
    rollbacksPerS: (to.rollbacks - from.rollbacks) / s,
  };
}
