import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validateEnv, type EnvironmentVariables } from './env.schema.js';

export interface AppConfig {
  version: string;
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string;
  corsOrigins: string[];
  dataDir: string;
  trustProxy: string | boolean;
  db: { url: string | null; embeddedPort: number; embeddedDir: string };
  redis: { url: string | null; prefix: string };
  jwt: {
    secret: string;
    accessTtlSeconds: number;
    refreshTtlDays: number;
    refreshReuseGraceSeconds: number;
    resetTtlSeconds: number;
  };
  mail: { smtpUrl: string | null; from: string; dir: string };
  log: { level: string };
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
}

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

interface StoredSecrets {
  jwtSecret: string;
}

/** Secrets are generated once into `<dataDir>/secrets.json` when the environment gives none. */
function loadSecrets(dataDir: string): StoredSecrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredSecrets>;
    if (typeof parsed.jwtSecret === 'string' && parsed.jwtSecret.length >= 32) {
      return { jwtSecret: parsed.jwtSecret };
    }
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets: StoredSecrets = { jwtSecret: randomBytes(48).toString('base64url') };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** The one place that reads the process environment (or the map a test passes in). */
export function loadConfig(raw: Record<string, string | undefined> = process.env): AppConfig {
  const env = validateEnv(raw);
  const nodeEnv = (env.NODE_ENV ?? 'development') as AppConfig['env'];
  const dataDir = resolve(env.DATA_DIR ?? '.data');
  const port = env.API_PORT ?? 3001;
  const publicUrl = (env.PUBLIC_URL ?? 'http://localhost:3000').replace(/\/$/, '');
  const trust = env.TRUST_PROXY ?? 'loopback';
  return {
    version: APP_VERSION,
    env: nodeEnv,
    host: env.HOST ?? '0.0.0.0',
    port,
    publicUrl,
    corsOrigins: (env.CORS_ORIGINS ?? publicUrl).split(',').map((o) => o.trim()).filter(Boolean),
    dataDir,
    trustProxy: trust === 'true' ? true : trust === 'false' ? false : trust,
    db: {
      url: env.DATABASE_URL ?? null,
      embeddedPort: env.EMBEDDED_PG_PORT ?? 54329,
      embeddedDir: join(dataDir, 'pg'),
    },
    redis: { url: env.REDIS_URL ?? null, prefix: env.REDIS_KEY_PREFIX ?? 'messenger' },
    jwt: {
      secret: env.JWT_SECRET ?? loadSecrets(dataDir).jwtSecret,
      accessTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS ?? 900,
      refreshTtlDays: env.REFRESH_TOKEN_TTL_DAYS ?? 30,
      refreshReuseGraceSeconds: env.REFRESH_REUSE_GRACE_SECONDS ?? 10,
      resetTtlSeconds: env.PASSWORD_RESET_TTL_SECONDS ?? 3600,
    },
    mail: {
      smtpUrl: env.SMTP_URL ?? null,
      from: env.MAIL_FROM ?? 'Messenger <no-reply@localhost>',
      dir: join(dataDir, 'mail'),
    },
    log: {
      level: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    },
    rate: {
      loginPerMinute: env.RATE_LOGIN_PER_MINUTE ?? 10,
      registerPerHour: env.RATE_REGISTER_PER_HOUR ?? 10,
      recoveryPerHour: env.RATE_RECOVERY_PER_HOUR ?? 5,
      sendPerMinute: env.RATE_SEND_PER_MINUTE ?? 120,
      friendRequestsPerHour: env.RATE_FRIEND_REQUESTS_PER_HOUR ?? 60,
      uploadsPerMinute: env.RATE_UPLOADS_PER_MINUTE ?? 60,
      sendQueueMax: env.SEND_QUEUE_MAX ?? 2000,
    },
    media: {
      dir: join(dataDir, 'media'),
      tmpDir: join(dataDir, 'tmp'),
      imageMaxBytes: env.UPLOAD_IMAGE_MAX_BYTES ?? 10 * 1024 * 1024,
      maxFileBytes: env.MEDIA_MAX_FILE_BYTES ?? 100 * 1024 * 1024,
      maxFilesPerMessage: env.MEDIA_MAX_FILES_PER_MESSAGE ?? 10,
      maxPixels: env.MEDIA_MAX_PIXELS ?? 50_000_000,
      maxVideoSeconds: env.MEDIA_MAX_VIDEO_SECONDS ?? 600,
      workers: env.MEDIA_WORKERS ?? 2,
      ffmpegPath: env.MEDIA_FFMPEG_PATH ?? null,
      ffprobePath: env.MEDIA_FFPROBE_PATH ?? null,
      s3: s3Config(env),
    },
  };
}

/** S3 is on when S3_BUCKET is set; the other S3_* variables without it are a mistake, not a no-op. */
function s3Config(env: EnvironmentVariables): S3Config | null {
  const others = [env.S3_ENDPOINT, env.S3_REGION, env.S3_ACCESS_KEY_ID, env.S3_SECRET_ACCESS_KEY, env.S3_FORCE_PATH_STYLE];
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
    region: env.S3_REGION ?? 'us-east-1',
    credentials: env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
      ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }
      : null,
    forcePathStyle: env.S3_FORCE_PATH_STYLE ? env.S3_FORCE_PATH_STYLE === 'true' : endpoint !== null,
  };
}
