import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { files, uploaded } from './support/media.js';

let t: TestApp;
let db: DataSource;
let me: Registered;

beforeAll(async () => {
  t = await createTestApp();
  db = t.app.get(DataSource);
  me = await register(t.http);
});
afterAll(() => t.close());

/** Every bidi control and C0/C1 control, percent-encoded as they would appear in `filename*`. */
const INVISIBLE_ENCODED = /%E2%80%A[A-E]|%E2%81%A[6-9]|%E2%80%8[EF]|%D8%9C|%[01][0-9A-F]|%7F|%C2%[89][0-9A-F]/i;

async function disposition(url: string): Promise<string> {
  const res = await t.http.get(url).set(...bearer(me.token)).expect(200);
  return res.headers['content-disposition'] as string;
}

describe('file names', () => {
  it('stores an uploaded name without bidi or control characters and serves it that way', async () => {
    const view = await uploaded(t.http, me.token, await files.png(40, 30), 'invoice\u202egnp.exe\u2066.png');
    const [row] = (await db.query('SELECT name FROM media WHERE id = $1', [view.id])) as { name: string }[];
    expect(row.name).toBe('invoicegnp.exe.png');
    const header = await disposition(view.urls.original);
    expect(header).toBe(`inline; filename="invoicegnp.exe.png"; filename*=UTF-8''invoicegnp.exe.png`);
    expect(header).not.toMatch(INVISIBLE_ENCODED);
  });

  it('serves a name stored before cleaning without its bidi controls', async () => {
    const view = await uploaded(t.http, me.token, await files.png(40, 30), 'old.png');
    await db.query('UPDATE media SET name = $2 WHERE id = $1', [view.id, 'r\u00e9sum\u00e9\u202efdp\u200f\u0085.png']);
    const header = await disposition(view.urls.original);
    expect(header).toBe(`inline; filename="r_sum_fdp.png"; filename*=UTF-8''r%C3%A9sum%C3%A9fdp.png`);
    expect(header).not.toMatch(INVISIBLE_ENCODED);
    expect(await disposition(view.urls.thumb!)).toBe(`inline; filename="r_sum_fdp-thumb.webp"; filename*=UTF-8''r%C3%A9sum%C3%A9fdp-thumb.webp`);
  });
});
