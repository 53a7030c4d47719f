import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, newVapidKeys, vapidKeys } from './app-config.js';

describe('loadConfig', () => {
  it('names every bad variable and masks secrets', () => {
    let message = '';
    try {
      loadConfig({ API_PORT: 'eighty', DATABASE_URL: 'mysql://root:hunter2@db/x', LOG_LEVEL: 'loud', DATA_DIR: tmpdir() });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('API_PORT="eighty"');
    expect(message).toContain('DATABASE_URL=***');
    expect(message).toContain('LOG_LEVEL="loud"');
    expect(message).not.toContain('hunter2');
  });

  it('bounds every wait for the database, configurable and checked at boot', () => {
    expect(loadConfig({ DATA_DIR: tmpdir(), JWT_SECRET: 'x'.repeat(40) }).db.timeouts).toEqual({
      connectMs: 2000, acquireMs: 2000, statementMs: 3000, healthMs: 2000,
    });
    const set = loadConfig({
      DATA_DIR: tmpdir(), JWT_SECRET: 'x'.repeat(40),
      DB_CONNECT_TIMEOUT_MS: '500', DB_ACQUIRE_TIMEOUT_MS: '700', DB_STATEMENT_TIMEOUT_MS: '10000', DB_HEALTH_TIMEOUT_MS: '300',
    });
    expect(set.db.timeouts).toEqual({ connectMs: 500, acquireMs: 700, statementMs: 10_000, healthMs: 300 });
    const bad = (): unknown => loadConfig({ DATA_DIR: tmpdir(), DB_CONNECT_TIMEOUT_MS: '0', DB_STATEMENT_TIMEOUT_MS: 'soon', DB_HEALTH_TIMEOUT_MS: '99' });
    expect(bad).toThrow(/DB_CONNECT_TIMEOUT_MS=0[\s\S]*DB_STATEMENT_TIMEOUT_MS="soon"[\s\S]*DB_HEALTH_TIMEOUT_MS=99/);
  });

  it('generates the JWT secret once into the data folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cfg-'));
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first.jwt.secret).toHaveLength(64);
    expect(second.jwt.secret).toBe(first.jwt.secret);
    const stored = JSON.parse(await readFile(join(dir, 'secrets.json'), 'utf8')) as { jwtSecret: string };
    expect(stored.jwtSecret).toBe(first.jwt.secret);
  });

  it('generates the VAPID keys once beside the JWT secret, keeping the secret', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cfg-'));
    const first = loadConfig({ DATA_DIR: dir });
    const keys = vapidKeys(first);
    expect(keys.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    expect(keys.privateKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const second = loadConfig({ DATA_DIR: dir });
    expect(vapidKeys(second)).toEqual(keys);
    expect(second.jwt.secret).toBe(first.jwt.secret);
  });

  it('takes VAPID keys from the environment only as a matching pair', () => {
    const pair = newVapidKeys();
    const other = newVapidKeys();
    const base = { DATA_DIR: tmpdir(), JWT_SECRET: 'x'.repeat(40) };
    expect(vapidKeys(loadConfig({ ...base, VAPID_PUBLIC_KEY: pair.publicKey, VAPID_PRIVATE_KEY: pair.privateKey }))).toEqual(pair);
    expect(() => loadConfig({ ...base, VAPID_PUBLIC_KEY: pair.publicKey })).toThrow(/VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY: set both or neither/);
    expect(() => loadConfig({ ...base, VAPID_PUBLIC_KEY: pair.publicKey, VAPID_PRIVATE_KEY: other.privateKey })).toThrow(/not the private key/);
    expect(() => loadConfig({ ...base, VAPID_PUBLIC_KEY: 'short', VAPID_PRIVATE_KEY: pair.privateKey })).toThrow(/VAPID_PUBLIC_KEY="short"/);
    expect(() => loadConfig({ ...base, VAPID_PUBLIC_KEY: pair.publicKey, VAPID_PRIVATE_KEY: 'secret-value' })).toThrow(/VAPID_PRIVATE_KEY=\*\*\*/);
    expect(() => loadConfig({ ...base, VAPID_SUBJECT: 'http://example.com' })).toThrow(/VAPID_SUBJECT/);
    expect(loadConfig(base).push.subject).toBe('mailto:admin@localhost');
  });

  it('uses the embedded defaults when nothing is set', () => {
    const config = loadConfig({ DATA_DIR: tmpdir(), JWT_SECRET: 'x'.repeat(40) });
    expect(config.db.url).toBeNull();
    expect(config.redis.url).toBeNull();
    expect(config.mail.smtpUrl).toBeNull();
    expect(config.port).toBe(3001);
    expect(config.jwt.secret).toBe('x'.repeat(40));
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      DATA_DIR: tmpdir(), JWT_SECRET: 'y'.repeat(40), LOG_LEVEL: 'warn', TRUST_PROXY: 'false',
      SMTP_URL: 'smtp://mail:25', MAIL_FROM: 'A <a@b.c>', REDIS_URL: 'redis://r:6379',
      DATABASE_URL: 'postgres://u:p@h/d', API_PORT: '4000', RATE_LOGIN_PER_MINUTE: '7',
    });
    expect(config).toMatchObject({
      port: 4000, trustProxy: false, log: { level: 'warn' }, redis: { url: 'redis://r:6379' },
      db: { url: 'postgres://u:p@h/d' }, mail: { smtpUrl: 'smtp://mail:25', from: 'A <a@b.c>' }, rate: { loginPerMinute: 7 },
    });
  });

  it('reads the Redis timeout, instance liveness and shutdown grace, and checks the liveness pair', () => {
    const base = { DATA_DIR: tmpdir(), JWT_SECRET: 'x'.repeat(40) };
    expect(loadConfig(base)).toMatchObject({ redis: { commandTimeoutMs: 500 }, instance: { heartbeatMs: 5000, ttlMs: 15_000 }, shutdownGraceMs: 10_000 });
    const set = loadConfig({ ...base, REDIS_COMMAND_TIMEOUT_MS: '250', INSTANCE_HEARTBEAT_SECONDS: '2', INSTANCE_TTL_SECONDS: '6', SHUTDOWN_GRACE_SECONDS: '30' });
    expect(set).toMatchObject({ redis: { commandTimeoutMs: 250 }, instance: { heartbeatMs: 2000, ttlMs: 6000 }, shutdownGraceMs: 30_000 });
    expect(() => loadConfig({ ...base, INSTANCE_HEARTBEAT_SECONDS: '10', INSTANCE_TTL_SECONDS: '15' })).toThrow(/INSTANCE_TTL_SECONDS=15: must be at least twice INSTANCE_HEARTBEAT_SECONDS/);
    expect(() => loadConfig({ ...base, REDIS_COMMAND_TIMEOUT_MS: '5' })).toThrow(/REDIS_COMMAND_TIMEOUT_MS=5/);
  });

  it('logs JSON in production and readable lines elsewhere, unless LOG_FORMAT says otherwise', () => {
    const base = { DATA_DIR: tmpdir(), JWT_SECRET: 'y'.repeat(40) };
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).log.format).toBe('json');
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).log.format).toBe('pretty');
    expect(loadConfig({ ...base, NODE_ENV: 'production', LOG_FORMAT: 'pretty' }).log.format).toBe('pretty');
    expect(loadConfig({ ...base, LOG_FORMAT: 'json' }).log.format).toBe('json');
    expect(() => loadConfig({ ...base, LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  });

  it('reads the media limits and the S3 store, and defaults to local disk', () => {
    const local = loadConfig({ DATA_DIR: '/srv/data', JWT_SECRET: 'z'.repeat(40) });
    expect(local.media).toMatchObject({
      dir: '/srv/data/media', tmpDir: '/srv/data/tmp', maxFileBytes: 100 * 1024 * 1024, maxFilesPerMessage: 10,
      maxPixels: 50_000_000, maxVideoSeconds: 600, workers: 2, ffmpegPath: null, ffprobePath: null, s3: null,
    });
    const s3 = loadConfig({
      DATA_DIR: tmpdir(), JWT_SECRET: 'z'.repeat(40), MEDIA_MAX_FILE_BYTES: '2048', MEDIA_MAX_FILES_PER_MESSAGE: '4',
      MEDIA_MAX_PIXELS: '1000000', MEDIA_MAX_VIDEO_SECONDS: '30', MEDIA_WORKERS: '3', MEDIA_FFMPEG_PATH: '/usr/bin/ffmpeg',
      S3_ENDPOINT: 'http://minio:9000/', S3_BUCKET: 'chat-media', S3_ACCESS_KEY_ID: 'AKIA1', S3_SECRET_ACCESS_KEY: 'shh',
    });
    expect(s3.media).toMatchObject({ maxFileBytes: 2048, maxFilesPerMessage: 4, maxPixels: 1_000_000, maxVideoSeconds: 30, workers: 3, ffmpegPath: '/usr/bin/ffmpeg' });
    expect(s3.media.s3).toEqual({
      endpoint: 'http://minio:9000', bucket: 'chat-media', region: 'us-east-1',
      credentials: { accessKeyId: 'AKIA1', secretAccessKey: 'shh' }, forcePathStyle: true,
    });
    expect(loadConfig({ DATA_DIR: tmpdir(), JWT_SECRET: 'z'.repeat(40), S3_BUCKET: 'aws-bucket' }).media.s3).toMatchObject({ endpoint: null, credentials: null, forcePathStyle: false });
  });

  it.each([
    [{ S3_ENDPOINT: 'http://minio:9000' }, /S3_BUCKET=unset: required when any other S3_\* variable is set/],
    [{ S3_BUCKET: 'b1b', S3_ACCESS_KEY_ID: 'AKIA1' }, /set both or neither/],
    [{ S3_BUCKET: 'Not_A_Bucket' }, /S3_BUCKET="Not_A_Bucket": must be an S3 bucket name/],
    [{ S3_BUCKET: 'b1b', S3_SECRET_ACCESS_KEY: 'x', S3_ACCESS_KEY_ID: 'y', S3_FORCE_PATH_STYLE: 'yes' }, /S3_FORCE_PATH_STYLE="yes"/],
    [{ MEDIA_WORKERS: '0', MEDIA_MAX_FILES_PER_MESSAGE: 'many' }, /MEDIA_MAX_FILES_PER_MESSAGE="many"[\s\S]*MEDIA_WORKERS=0:/],
  ])('refuses a bad media or S3 setting: %o', (env, message) => {
    expect(() => loadConfig({ DATA_DIR: tmpdir(), JWT_SECRET: 'z'.repeat(40), ...env })).toThrow(message);
  });

  it('never prints the S3 secret', () => {
    let message = '';
    try {
      loadConfig({ DATA_DIR: tmpdir(), S3_BUCKET: 'b1b', S3_SECRET_ACCESS_KEY: 'hunter2', S3_ACCESS_KEY_ID: 'AKIA', S3_REGION: 'bad region!' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('S3_REGION');
    expect(message).not.toContain('hunter2');
  });
});
