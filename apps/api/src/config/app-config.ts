import { join, resolve } from 'node:path';
import { validateEnv, type EnvironmentVariables } from './env.schema.js';
import { envVapidKeys, loadSecrets, type VapidKeys } from './secrets.js';

export { newVapidKeys, vapidKeys, type VapidKeys } from './secrets.js';

export interface AppConfig {
  version: string;
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string;
  corsOrigins: string[];
  dataDir: string;
  trustProxy: string | boolean;
  db: { url: string | null; embeddedPort: number; embeddedDir: string; timeouts: DatabaseTimeouts };
  redis: {
    url: string | null;
    prefix: string;
    /** A Redis command on a request path fails after this long (the caller's fallback answers). */
    commandTimeoutMs: number;
  };
  /** Liveness of API instances (through Redis): a heartbeat, and how long a silent instance counts as alive. */
  instance: { heartbeatMs: number; ttlMs: number };
  /** On SIGTERM: how long in-flight requests and socket events may take before the process stops anyway. */
  shutdownGraceMs: number;
  jwt: {
    secret: string;
    accessTtlSeconds: number;
    refreshTtlDays: number;
    refreshReuseGraceSeconds: number;
    resetTtlSeconds: number;
  };
  mail: { smtpUrl: string | null; from: string; dir: string };
  /** `json` for machines (the default in production), `pretty` for a person reading the console;
   * `stream`: where the lines go instead of stdout (set by code that embeds the API, never by the environment). */
  log: { level: string; format: 'json' | 'pretty'; stream?: LogStream };
  rate: {
    loginPerMinute: number;
    registerPerHour: number;
    recoveryPerHour: number;
    sendPerMinute: number;
    friendRequestsPerHour: number;
    uploadsPerMinute: number;
    /** Plain sends waiting to be written on this instance before new ones are refused (503, retry). */
    sendQueueMax: number;
  };
  media: MediaConfig;
  push: PushConfig;
  messages: { editWindowHours: number };
  linkPreviews: LinkPreviewsConfig;
  realtime: RealtimeConfig;
}

export interface PushConfig {
  /** VAPID (RFC 8292) key pair from the environment, URL-safe base64; null: kept in the secrets file (`vapidKeys`). */
  vapid: VapidKeys | null;
  /** The contact push services see in the VAPID token. */
  subject: string;
  concurrency: number;
  timeoutMs: number;
  maxAttempts: number;
  pollMs: number;
  /** Extra certificate authorities (PEM) trusted for push services; null: the system's. */
  caFile: string | null;
  /** Whether endpoints on this machine or private networks are accepted (a private push service). */
  allowPrivateEndpoints: boolean;
}

export interface LinkPreviewsConfig {
  enabled: boolean;
  timeoutMs: number;
  maxBytes: number;
  /** Host names exempt from the public-address check (tests, intranets); empty by default. */
  allowHosts: string[];
}

/** Bounds on every wait for PostgreSQL, so a database that is down or frozen is a quick 503. */
export interface DatabaseTimeouts {
  /** Opening a connection (TCP and start-up). */
  connectMs: number;
  /** Waiting for a pooled connection, opening one included. */
  acquireMs: number;
  /** One statement (server-side statement_timeout; the client gives up shortly after when the server is silent). */
  statementMs: number;
  /** The health check's `SELECT 1`. */
  healthMs: number;
}

/** A sink for log lines (pino's DestinationStream). */
export interface LogStream {
  write(line: string): void;
}

export interface RealtimeConfig {
  /** Largest client event (its JSON payload); larger ones are answered PAYLOAD_TOO_LARGE. Below the engine's frame limit. */
  eventMaxBytes: number;
  /** Sockets one user may hold at once, over all instances. */
  socketsPerUser: number;
  /** Engine.IO sessions one remote address may hold before its handshakes finish (or fail). */
  pendingPerAddress: number;
}

/** Socket.IO's frame limit (maxHttpBufferSize): what the engine reads at all, above every event cap. */
export const SOCKET_FRAME_MAX_BYTES = 256 * 1024;

export interface S3Config {
  /** Unset for AWS itself; the URL of MinIO, R2, Garage, … otherwise. */
  endpoint: string | null;
  bucket: string;
  region: string;
  /** Null: the SDK's default credential chain (environment, instance role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  forcePathStyle: boolean;
}

export interface MediaConfig {
  /** Local storage root (the default driver) and the folder of upload temp files. */
  dir: string;
  tmpDir: string;
  /** Avatar, cover and wallpaper uploads. */
  imageMaxBytes: number;
  maxFileBytes: number;
  maxFilesPerMessage: number;
  /** Largest image (width × height) decoded; animations get 4× this over all frames; videos min(this, 4096²). */
  maxPixels: number;
  maxVideoSeconds: number;
  maxVoiceSeconds: number;
  /** Files decoded at once (sharp / ffmpeg); more wait in a short queue. */
  workers: number;
  /** Null: the binaries shipped by @ffmpeg-installer/linux-x64 and @ffprobe-installer/linux-x64. */
  ffmpegPath: string | null;
  ffprobePath: string | null;
  /** Null: local disk under `dir`. */
  s3: S3Config | null;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** The release this build is (kept in step with package.json). */
export const APP_VERSION = '0.1.0';

/** The one place that reads the process environment (or the map a test passes in). */
export function loadConfig(raw: Record<string, string | undefined> = process.env): AppConfig {
  const env = validateEnv(raw);
  const nodeEnv = env.NODE_ENV;
  const dataDir = resolve(env.DATA_DIR);
  const port = env.API_PORT;
  const publicUrl = env.PUBLIC_URL.replace(/\/$/, '');
  const trust = env.TRUST_PROXY;
  return {
    version: APP_VERSION,
    env: nodeEnv,
    host: env.HOST,
    port,
    publicUrl,
    corsOrigins: (env.CORS_ORIGINS ?? publicUrl).split(',').map((o) => o.trim()).filter(Boolean),
    dataDir,
    trustProxy: trust === 'true' ? true : trust === 'false' ? false : trust,
    db: {
      url: env.DATABASE_URL ?? null,
      embeddedPort: env.EMBEDDED_PG_PORT,
      embeddedDir: join(dataDir, 'pg'),
      timeouts: {
        connectMs: env.DB_CONNECT_TIMEOUT_MS,
        acquireMs: env.DB_ACQUIRE_TIMEOUT_MS,
        statementMs: env.DB_STATEMENT_TIMEOUT_MS,
        healthMs: env.DB_HEALTH_TIMEOUT_MS,
      },
    },
    redis: { url: env.REDIS_URL ?? null, prefix: env.REDIS_KEY_PREFIX, commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS },
    instance: instanceConfig(env),
    shutdownGraceMs: env.SHUTDOWN_GRACE_SECONDS * 1000,
    jwt: {
      secret: env.JWT_SECRET ?? loadSecrets(dataDir).jwtSecret,
      accessTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlDays: env.REFRESH_TOKEN_TTL_DAYS,
      refreshReuseGraceSeconds: env.REFRESH_REUSE_GRACE_SECONDS,
      resetTtlSeconds: env.PASSWORD_RESET_TTL_SECONDS,
    },
    mail: {
      smtpUrl: env.SMTP_URL ?? null,
      from: env.MAIL_FROM,
      dir: join(dataDir, 'mail'),
    },
    log: {
      level: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
      format: env.LOG_FORMAT ?? (nodeEnv === 'production' ? 'json' : 'pretty'),
    },
    rate: {
      loginPerMinute: env.RATE_LOGIN_PER_MINUTE,
      registerPerHour: env.RATE_REGISTER_PER_HOUR,
      recoveryPerHour: env.RATE_RECOVERY_PER_HOUR,
      sendPerMinute: env.RATE_SEND_PER_MINUTE,
      friendRequestsPerHour: env.RATE_FRIEND_REQUESTS_PER_HOUR,
      uploadsPerMinute: env.RATE_UPLOADS_PER_MINUTE,
      sendQueueMax: env.SEND_QUEUE_MAX,
    },
    messages: { editWindowHours: env.MESSAGE_EDIT_WINDOW_HOURS },
    media: {
      dir: join(dataDir, 'media'),
      tmpDir: join(dataDir, 'tmp'),
      imageMaxBytes: env.UPLOAD_IMAGE_MAX_BYTES,
      maxFileBytes: env.MEDIA_MAX_FILE_BYTES,
      maxFilesPerMessage: env.MEDIA_MAX_FILES_PER_MESSAGE,
      maxPixels: env.MEDIA_MAX_PIXELS,
      maxVideoSeconds: env.MEDIA_MAX_VIDEO_SECONDS,
      maxVoiceSeconds: env.MEDIA_MAX_VOICE_SECONDS,
      workers: env.MEDIA_WORKERS,
      ffmpegPath: env.MEDIA_FFMPEG_PATH ?? null,
      ffprobePath: env.MEDIA_FFPROBE_PATH ?? null,
      s3: s3Config(env, raw),
    },
    push: {
      vapid: envVapidKeys(env),
      subject: env.VAPID_SUBJECT ?? `mailto:admin@${new URL(publicUrl).hostname}`,
      concurrency: env.PUSH_CONCURRENCY,
      timeoutMs: env.PUSH_TIMEOUT_MS,
      maxAttempts: env.PUSH_MAX_ATTEMPTS,
      pollMs: env.PUSH_POLL_MS,
      caFile: env.PUSH_CA_FILE ?? null,
      allowPrivateEndpoints: env.PUSH_ALLOW_PRIVATE_ENDPOINTS === 'true',
    },
    linkPreviews: {
      enabled: env.LINK_PREVIEWS === 'on',
      timeoutMs: env.LINK_PREVIEW_TIMEOUT_MS,
      maxBytes: env.LINK_PREVIEW_MAX_BYTES,
      allowHosts: (env.LINK_PREVIEW_ALLOW_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
    },
    realtime: {
      eventMaxBytes: env.SOCKET_EVENT_MAX_BYTES,
      socketsPerUser: env.SOCKETS_PER_USER,
      pendingPerAddress: env.SOCKET_HANDSHAKES_PER_ADDRESS,
    },
  };
}

/** An instance counts as dead only after missing at least two heartbeats. */
function instanceConfig(env: EnvironmentVariables): AppConfig['instance'] {
  const heartbeat = env.INSTANCE_HEARTBEAT_SECONDS;
  const ttl = env.INSTANCE_TTL_SECONDS;
  if (ttl < 2 * heartbeat) {
    throw new Error(`Invalid configuration:\n  INSTANCE_TTL_SECONDS=${ttl}: must be at least twice INSTANCE_HEARTBEAT_SECONDS (${heartbeat})`);
  }
  return { heartbeatMs: heartbeat * 1000, ttlMs: ttl * 1000 };
}

/** S3 is on when S3_BUCKET is set; the other S3_* variables without it are a mistake, not a no-op. */
function s3Config(env: EnvironmentVariables, raw: Record<string, string | undefined>): S3Config | null {
  const others = [env.S3_ENDPOINT, raw.S3_REGION || undefined, env.S3_ACCESS_KEY_ID, env.S3_SECRET_ACCESS_KEY, env.S3_FORCE_PATH_STYLE];
  if (!env.S3_BUCKET) {
    if (others.some((v) => v !== undefined)) throw new Error('Invalid configuration:\n  S3_BUCKET=unset: required when any other S3_* variable is set');
    return null;
  }
  if ((env.S3_ACCESS_KEY_ID === undefined) !== (env.S3_SECRET_ACCESS_KEY === undefined)) {
    throw new Error('Invalid configuration:\n  S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both or neither');
  }
  const endpoint = env.S3_ENDPOINT?.replace(/\/$/, '') ?? null;
  return {
    endpoint,
    bucket: env.S3_BUCKET,
    region: env.S3_REGION,
    credentials: env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
      ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }
      : null,
    forcePathStyle: env.S3_FORCE_PATH_STYLE ? env.S3_FORCE_PATH_STYLE === 'true' : endpoint !== null,
  };
}
