import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validateEnv } from './env.schema.js';

export interface AppConfig {
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
  rate: { loginPerMinute: number; registerPerHour: number; recoveryPerHour: number; sendPerMinute: number };
  media: { dir: string; imageMaxBytes: number };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

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
    },
    media: { dir: join(dataDir, 'media'), imageMaxBytes: env.UPLOAD_IMAGE_MAX_BYTES ?? 10 * 1024 * 1024 },
  };
}
