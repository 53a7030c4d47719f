import { z } from 'zod';

/**
 * Every environment variable the API reads, each written once: its type and range, its default
 * (where it is a fixed value; a default derived from other settings is said in the doc) and what it
 * does. `.env.example` documents the same variables with the same defaults (checked by a test).
 */
const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
const url = (pattern: RegExp, message: string) => z.string().regex(pattern, message);

export const ENV = {
  NODE_ENV: { schema: z.enum(['development', 'production', 'test']).default('development'), doc: 'development | production | test (npm start sets production)' },
  HOST: { schema: z.string().default('0.0.0.0'), doc: 'interface the API listens on' },
  API_PORT: { schema: int(0, 65535).default(3001), doc: 'API port (REST under /api, Socket.IO under /socket.io)' },
  PUBLIC_URL: { schema: url(/^https?:\/\/[^\s/]+(\/.*)?$/, 'must be an http(s) URL').default('http://localhost:3000'), doc: 'where people open the site; used in mailed links and cookies' },
  CORS_ORIGINS: { schema: z.string().optional(), doc: 'comma-separated origins allowed to call the API; default PUBLIC_URL' },
  TRUST_PROXY: { schema: z.string().default('loopback'), doc: 'Express "trust proxy": true | false | loopback | a list of addresses' },
  DATA_DIR: { schema: z.string().default('.data'), doc: 'embedded database, media, kept mail and generated secrets' },

  DATABASE_URL: { schema: url(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// URL').optional(), doc: 'postgres://user:pass@host:5432/db; unset = embedded PostgreSQL in DATA_DIR/pg' },
  EMBEDDED_PG_PORT: { schema: int(1024, 65535).default(54329), doc: 'port of the embedded PostgreSQL (127.0.0.1 only)' },
  DB_CONNECT_TIMEOUT_MS: { schema: int(100, 60_000).default(2000), doc: 'opening a connection to PostgreSQL (TCP and start-up)' },
  DB_ACQUIRE_TIMEOUT_MS: { schema: int(100, 60_000).default(2000), doc: 'waiting for a pooled connection, opening one included' },
  DB_STATEMENT_TIMEOUT_MS: { schema: int(100, 3_600_000).default(3000), doc: 'one statement (statement_timeout; the client gives up 1 s later when the server is silent); not migrations' },
  DB_HEALTH_TIMEOUT_MS: { schema: int(100, 30_000).default(2000), doc: '/api/health answers 503 when SELECT 1 takes longer' },
  REDIS_URL: { schema: url(/^rediss?:\/\/.+/, 'must be a redis:// URL').optional(), doc: 'redis://host:6379; set it when running more than one API instance' },
  REDIS_KEY_PREFIX: { schema: z.string().regex(/^[\w.-]{1,64}$/, 'must be letters, digits, "_", "-" or "."').default('messenger'), doc: 'prefix of every Redis key and channel (several deployments on one Redis)' },
  REDIS_COMMAND_TIMEOUT_MS: { schema: int(50, 10_000).default(500), doc: 'a Redis command on a request path fails after this long and the request answers from its fallback: rate limits fail open to per-instance in-memory limits, presence reads show this instance\'s sockets' },
  INSTANCE_HEARTBEAT_SECONDS: { schema: int(1, 300).default(5), doc: 'how often each instance tells Redis it is alive' },
  INSTANCE_TTL_SECONDS: { schema: int(2, 900).default(15), doc: 'an instance silent this long is dead (at least twice the heartbeat): a survivor marks its users offline, last seen = its last heartbeat, and tells their friends' },
  SHUTDOWN_GRACE_SECONDS: { schema: int(1, 300).default(10), doc: 'on SIGTERM, the longest wait for in-flight requests and socket events before the process stops anyway' },

  JWT_SECRET: { schema: z.string().min(32).optional(), doc: '>= 32 characters; unset = generated once into DATA_DIR/secrets.json' },
  ACCESS_TOKEN_TTL_SECONDS: { schema: int(2, 86_400).default(900), doc: 'access token lifetime (2..86400)' },
  REFRESH_TOKEN_TTL_DAYS: { schema: int(1, 365).default(30), doc: 'refresh token / session lifetime' },
  REFRESH_REUSE_GRACE_SECONDS: { schema: int(0, 120).default(10), doc: 'a rotated refresh token is still accepted this long (parallel tabs)' },
  PASSWORD_RESET_TTL_SECONDS: { schema: int(60, 86_400).default(3600), doc: 'lifetime of a recovery link' },

  SMTP_URL: { schema: url(/^smtps?:\/\/.+/, 'must be an smtp:// or smtps:// URL').optional(), doc: 'smtp(s)://user:pass@host:port; unset = mail kept in DATA_DIR/mail, link logged outside production' },
  MAIL_FROM: { schema: z.string().default('Messenger <no-reply@localhost>'), doc: 'sender of outgoing mail' },

  LOG_LEVEL: { schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(), doc: 'fatal | error | warn | info | debug | trace | silent; default info (silent in tests)' },
  LOG_FORMAT: { schema: z.enum(['json', 'pretty']).optional(), doc: 'json | pretty; default json when NODE_ENV=production, else pretty (npm start: pretty)' },

  RATE_LOGIN_PER_MINUTE: { schema: int(1).default(10), doc: 'sign-in attempts per address per minute (and per account per 15 min)' },
  RATE_REGISTER_PER_HOUR: { schema: int(1).default(10), doc: 'registrations per address per hour' },
  RATE_RECOVERY_PER_HOUR: { schema: int(1).default(5), doc: 'recovery mails per address and per account per hour' },
  RATE_SEND_PER_MINUTE: { schema: int(1).default(120), doc: 'messages one user may send per minute (REST and sockets, all instances)' },
  RATE_FRIEND_REQUESTS_PER_HOUR: { schema: int(1).default(60), doc: 'friend requests one user may send per hour' },
  RATE_UPLOADS_PER_MINUTE: { schema: int(1).default(60), doc: 'files (media, avatar, cover, wallpaper) one user may upload per minute' },
  SEND_QUEUE_MAX: { schema: int(1).default(2000), doc: 'sends waiting to be stored on one instance; past it, 503 UNAVAILABLE (clients retry)' },
  MESSAGE_EDIT_WINDOW_HOURS: { schema: int(1, 87_600).default(48), doc: 'how long after sending a message may be edited (403 past it)' },
  UPLOAD_IMAGE_MAX_BYTES: { schema: int(1024).default(10 * 1024 * 1024), doc: 'largest avatar / cover / chat wallpaper upload' },

  SOCKET_EVENT_MAX_BYTES: { schema: int(1024, 192 * 1024).default(64 * 1024), doc: 'largest client socket event (its JSON payload); larger: ack PAYLOAD_TOO_LARGE; below the 256 KiB engine frame limit, past which the connection drops' },
  SOCKETS_PER_USER: { schema: int(1, 10_000).default(32), doc: 'sockets one user may hold at once over all instances; more: TOO_MANY_CONNECTIONS' },
  SOCKET_HANDSHAKES_PER_ADDRESS: { schema: int(1, 100_000).default(64), doc: 'Engine.IO sessions one address may hold before they authenticate; more are refused' },

  MEDIA_MAX_FILE_BYTES: { schema: int(1024).default(100 * 1024 * 1024), doc: 'largest single upload (100 MiB)' },
  MEDIA_MAX_FILES_PER_MESSAGE: { schema: int(1, 100).default(10), doc: 'most attachments on one message' },
  MEDIA_MAX_PIXELS: { schema: int(10_000, 1_000_000_000).default(50_000_000), doc: 'largest image decoded (width x height); animations 4x this over all frames, videos min(this, 4096x4096) per frame' },
  MEDIA_MAX_VIDEO_SECONDS: { schema: int(1, 86_400).default(600), doc: 'longest video' },
  MEDIA_MAX_VOICE_SECONDS: { schema: int(1, 86_400).default(1800), doc: 'longest voice message' },
  MEDIA_WORKERS: { schema: int(1, 64).default(2), doc: 'files decoded at once (sharp / ffmpeg); the rest wait in a short queue (503 when full)' },
  MEDIA_FFMPEG_PATH: { schema: z.string().optional(), doc: 'unset = the binary of the npm package @ffmpeg-installer/linux-x64' },
  MEDIA_FFPROBE_PATH: { schema: z.string().optional(), doc: 'unset = the binary of the npm package @ffprobe-installer/linux-x64' },

  VAPID_PUBLIC_KEY: { schema: z.string().regex(/^[A-Za-z0-9_-]{87}$/, 'must be an uncompressed P-256 public key, URL-safe base64 (87 characters)').optional(), doc: 'Web Push (VAPID) public key; set with VAPID_PRIVATE_KEY or neither = generated once into DATA_DIR/secrets.json' },
  VAPID_PRIVATE_KEY: { schema: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a P-256 private key, URL-safe base64 (43 characters)').optional(), doc: 'the private key of VAPID_PUBLIC_KEY' },
  VAPID_SUBJECT: { schema: z.string().regex(/^(mailto:[^\s@]+@[^\s@]+|https:\/\/[^\s/]+(\/.*)?)$/, 'must be a mailto: address or an https: URL').optional(), doc: 'contact push services may use (mailto: or https:); default mailto:admin@<PUBLIC_URL host>' },
  PUSH_CONCURRENCY: { schema: int(1, 256).default(8), doc: 'pushes in flight at once on one instance' },
  PUSH_TIMEOUT_MS: { schema: int(100, 120_000).default(10_000), doc: 'a push service that has not answered by then is retried later' },
  PUSH_MAX_ATTEMPTS: { schema: int(1, 20).default(5), doc: 'tries per push (backoff doubling from 5 s) before it is dropped' },
  PUSH_POLL_MS: { schema: int(50, 60_000).default(1000), doc: 'how often each instance looks for due pushes (new ones start at once)' },
  PUSH_ALLOW_PRIVATE_ENDPOINTS: { schema: z.enum(['true', 'false']).default('false'), doc: 'true | false; true lets devices subscribe with a push service on this machine or a private network' },
  PUSH_CA_FILE: { schema: z.string().optional(), doc: 'PEM file of extra certificate authorities trusted for push services (a private push service)' },

  LINK_PREVIEWS: { schema: z.enum(['on', 'off']).default('on'), doc: 'on | off; on: the server fetches a card for the first http(s) link of a message (public addresses only)' },
  LINK_PREVIEW_TIMEOUT_MS: { schema: int(100, 60_000).default(5000), doc: 'a link preview fetch (redirects and image included) gives up after this long' },
  LINK_PREVIEW_MAX_BYTES: { schema: int(16 * 1024, 16 * 1024 * 1024).default(1024 * 1024), doc: 'most bytes read from a linked page or its image' },
  LINK_PREVIEW_ALLOW_HOSTS: { schema: z.string().optional(), doc: 'comma-separated host names fetched even on private addresses: for tests and intranets only; unset = none' },

  S3_BUCKET: { schema: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name').optional(), doc: 'the bucket (must exist); setting any other S3_* without it is an error' },
  S3_ENDPOINT: { schema: url(/^https?:\/\/[^\s/]+(\/.*)?$/, 'must be an http(s) URL').optional(), doc: 'https://minio.example:9000; unset = AWS S3' },
  S3_REGION: { schema: z.string().regex(/^[\w-]{1,64}$/, 'must be a region name such as us-east-1').default('us-east-1'), doc: 'the bucket\'s region' },
  S3_ACCESS_KEY_ID: { schema: z.string().optional(), doc: 'set both or neither; neither = the AWS SDK default credential chain' },
  S3_SECRET_ACCESS_KEY: { schema: z.string().optional(), doc: 'the secret of S3_ACCESS_KEY_ID' },
  S3_FORCE_PATH_STYLE: { schema: z.enum(['true', 'false']).optional(), doc: 'true | false; default true when S3_ENDPOINT is set (MinIO style), else false' },
} satisfies Record<string, { schema: z.ZodType; doc: string }>;

type Env = typeof ENV;
const envSchema = z.object(Object.fromEntries(Object.entries(ENV).map(([k, v]) => [k, v.schema])) as { [K in keyof Env]: Env[K]['schema'] });
export type EnvironmentVariables = z.output<typeof envSchema>;

const SECRET = /secret|password|token|url|access_key|private_key/i;

function shown(name: string, value: string | undefined): string {
  if (value === undefined) return 'unset';
  if (SECRET.test(name)) return '***';
  return /^-?\d+$/.test(value) ? value : JSON.stringify(value);
}

/** Validates raw variables (empty = unset); throws one error naming every bad variable (secrets masked). */
export function validateEnv(raw: Record<string, string | undefined>): EnvironmentVariables {
  const given: Record<string, string> = {};
  for (const key of Object.keys(ENV)) {
    const value = raw[key];
    if (value !== undefined && value !== '') given[key] = value;
  }
  const parsed = envSchema.safeParse(given);
  if (parsed.success) return parsed.data;
  const byVariable = new Map<string, string[]>();
  for (const issue of parsed.error.issues) {
    const name = String(issue.path[0]);
    byVariable.set(name, [...(byVariable.get(name) ?? []), issue.message]);
  }
  const lines = Object.keys(ENV)
    .filter((name) => byVariable.has(name))
    .map((name) => `  ${name}=${shown(name, given[name])}: ${byVariable.get(name)?.join('; ')}`);
  throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
}
