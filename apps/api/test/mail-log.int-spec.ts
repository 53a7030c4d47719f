import { jest } from '@jest/globals';
import { Logger as AppLogger } from 'nestjs-pino';
import { createTestApp, eventually, readMails, type TestApp } from './support/app.js';
import { register } from './support/factories.js';

type Call = (level: string, message: unknown, ...rest: unknown[]) => void;

/** Every line the app's logger is asked to write while installed, whatever LOG_LEVEL lets through. */
function captureLogs(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const proto = AppLogger.prototype as unknown as { call: Call };
  const original = proto.call;
  const spy = jest.spyOn(proto, 'call').mockImplementation(function (this: unknown, level, message, ...rest) {
    lines.push([message, ...rest].map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' '));
    original.call(this, level, message, ...rest);
  });
  return { lines, restore: () => spy.mockRestore() };
}

async function recoveryLink(t: TestApp): Promise<{ token: string; logs: string[] }> {
  const u = await register(t.http);
  const logs = captureLogs();
  try {
    await t.http.post('/api/auth/password/forgot').send({ login: u.request.email }).expect(202);
    const mail = await eventually(async () => (await readMails(t.config)).find((m) => m.to === u.request.email));
    await eventually(async () => (logs.lines.some((l) => l.includes('kept in')) ? true : undefined));
    return { token: new URL(mail.link!).searchParams.get('token')!, logs: logs.lines };
  } finally {
    logs.restore();
  }
}

describe('recovery mail kept on disk (no SMTP) in production', () => {
  let t: TestApp;
  let bootLines: string[];

  beforeAll(async () => {
    const boot = captureLogs();
    try {
      t = await createTestApp({ NODE_ENV: 'production' });
    } finally {
      boot.restore();
    }
    bootLines = boot.lines;
  });
  afterAll(() => t.close());

  it('never writes the link or its token to the log', async () => {
    const { token, logs } = await recoveryLink(t);
    expect(token).toMatch(/^[\w-]{40,}$/);
    expect(logs.filter((l) => l.includes(token))).toEqual([]);
    expect(logs.filter((l) => l.includes('reset-password'))).toEqual([]);
  });

  it('says once at boot where mail is kept', () => {
    const notes = bootLines.filter((l) => l.includes('mail is kept on disk'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(t.config.mail.dir);
  });
});

describe('recovery mail kept on disk outside production', () => {
  it('logs the link, which is how a developer signs back in', async () => {
    const t = await createTestApp({ NODE_ENV: 'development' });
    try {
      const { token, logs } = await recoveryLink(t);
      expect(logs.filter((l) => l.includes(token))).toHaveLength(1);
    } finally {
      await t.close();
    }
  });
});
