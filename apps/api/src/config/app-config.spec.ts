import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './app-config.js';

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

  it('generates the JWT secret once into the data folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cfg-'));
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first.jwt.secret).toHaveLength(64);
    expect(second.jwt.secret).toBe(first.jwt.secret);
    const stored = JSON.parse(await readFile(join(dir, 'secrets.json'), 'utf8')) as { jwtSecret: string };
    expect(stored.jwtSecret).toBe(first.jwt.secret);
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
});
