import { request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import type { ApiErrorBody, MediaView } from '@app/contracts';
import { createTestApp, eventually, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { clips, files, hostile, upload } from './support/media.js';

let t: TestApp;
let me: Registered;

beforeAll(async () => {
  t = await createTestApp({ MEDIA_MAX_FILE_BYTES: String(1024 * 1024) });
  await t.listen();
  me = await register(t.http);
});
afterAll(() => t.close());

/** Upload temp files and decode work folders still on disk. */
async function leftovers(): Promise<string[]> {
  return (await readdir(t.config.media.tmpDir).catch(() => [] as string[])).filter((f) => f.startsWith('upload-') || f.startsWith('work-'));
}

async function storedCount(): Promise<number> {
  const [row] = (await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM media WHERE owner_id = $1', [me.auth.user.id])) as { n: number }[];
  return row.n;
}

async function storedObjects(): Promise<string[]> {
  return readdir(join(t.config.media.dir, 'media')).catch(() => [] as string[]);
}

async function expectRefused(file: Buffer, name: string, type: string, status: number, code: string): Promise<string> {
  const [before, objects] = [await storedCount(), await storedObjects()];
  const res = await upload(t.http, me.token, file, name, type);
  expect(res.status).toBe(status);
  const error = (res.body as ApiErrorBody).error;
  expect(error.code).toBe(code);
  expect(await storedCount()).toBe(before);
  expect(await storedObjects()).toEqual(objects);
  await eventually(async () => ((await leftovers()).length === 0 ? true : undefined));
  return error.message;
}

describe('refused by what the bytes are, not by name or declared type (415)', () => {
  const avif = (): Promise<Buffer> => sharp({ create: { width: 32, height: 32, channels: 3, background: '#f00' } }).avif().toBuffer();
  const tiff = (): Promise<Buffer> => sharp({ create: { width: 32, height: 32, channels: 3, background: '#f00' } }).tiff().toBuffer();
  const fakeMp4 = (): Buffer => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), randomBytes(4000)]);

  it.each([
    ['SVG with a script, named and declared PNG', async () => hostile.svg, 'cat.png', 'image/png', /JPEG, PNG, WebP or GIF/],
    ['an HTML page named photo.jpg', async () => hostile.html, 'photo.jpg', 'image/jpeg', /JPEG, PNG, WebP or GIF/],
    ['plain text', async () => Buffer.from('just some words, not a picture at all'), 'a.txt', 'text/plain', /JPEG/],
    ['an empty file', async () => Buffer.alloc(0), 'empty.jpg', 'image/jpeg', /JPEG/],
    ['a PNG header over garbage data', async () => hostile.pngGarbage(), 'broken.png', 'image/png', /could not be decoded/],
    ['a JPEG with an HTML page appended (polyglot)', () => hostile.jpegHtml(), 'poly.jpg', 'image/jpeg', /markup or script/],
    ['a GIF that is also JavaScript (polyglot)', () => hostile.gifJs(), 'poly.gif', 'image/gif', /polyglot/],
    ['a PNG with an archive appended (polyglot)', () => hostile.pngTail(), 'gifar.png', 'image/png', /data after the PNG end/],
    ['an AVIF image (not accepted)', avif, 'a.avif', 'image/avif', /JPEG/],
    ['a TIFF image (not accepted)', tiff, 'a.tif', 'image/tiff', /JPEG/],
    ['an MP4 signature over random bytes', async () => fakeMp4(), 'a.mp4', 'video/mp4', /could not be read/],
    ['a Matroska video (not WebM)', () => clips.mkv(), 'a.webm', 'video/webm', /JPEG/],
    ['a QuickTime video (not MP4)', () => clips.mov(), 'a.mp4', 'video/mp4', /JPEG/],
  ])('%s', async (_name, make, filename, type, message) => {
    expect(await expectRefused(await make(), filename, type, 415, 'UNSUPPORTED_MEDIA_TYPE')).toMatch(message);
  });

  it('trusts the bytes the other way round too: a PNG named clip.mp4 is stored as a PNG', async () => {
    const res = await upload(t.http, me.token, await files.png(64, 64), 'clip.mp4', 'video/mp4').expect(201);
    expect(res.body as MediaView).toMatchObject({ kind: 'image', mime: 'image/png' });
  });
});

describe('limits and bombs', () => {
  it('refuses a file over MEDIA_MAX_FILE_BYTES with 413 and a message that names the limit', async () => {
    const big = await sharp(randomBytes(800 * 800 * 3), { raw: { width: 800, height: 800, channels: 3 } }).png().toBuffer();
    expect(big.length).toBeGreaterThan(1024 * 1024);
    expect(await expectRefused(big, 'noise.png', 'image/png', 413, 'PAYLOAD_TOO_LARGE')).toBe('The file is larger than 1 MiB, the most accepted');
  });

  it('refuses a 50000 × 50000 PNG from its header, in well under a second, without decoding it', async () => {
    const bomb = hostile.pngBomb();
    expect(bomb.length).toBeLessThan(10_000);
    const started = Date.now();
    expect(await expectRefused(bomb, 'bomb.png', 'image/png', 413, 'PAYLOAD_TOO_LARGE')).toBe('The image is 2500 megapixels; at most 50 megapixels are accepted');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('refuses a GIF with thousands of frames quickly', async () => {
    const started = Date.now();
    const message = await expectRefused(hostile.gifFrames(5000), 'endless.gif', 'image/gif', 413, 'PAYLOAD_TOO_LARGE');
    expect(message).toBe('The animation has 5000 frames; at most 1000 are accepted');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('refuses a GIF whose frames add up past the budget, even under the frame cap', async () => {
    const message = await expectRefused(hostile.gifFrames(60), 'heavy.gif', 'image/gif', 413, 'PAYLOAD_TOO_LARGE');
    expect(message).toBe('The animation is 240 megapixels over all frames; at most 200 megapixels');
  });

  it('keeps answering other requests while bombs are refused', async () => {
    const bombs = Array.from({ length: 6 }, (_, i) => upload(t.http, me.token, i % 2 ? hostile.pngBomb() : hostile.gifFrames(5000), 'b.png'));
    const started = Date.now();
    await t.http.get('/api/health').expect(200);
    expect(Date.now() - started).toBeLessThan(1000);
    for (const res of await Promise.all(bombs)) expect(res.status).toBe(413);
  });
});

describe('malformed and aborted uploads', () => {
  it('answers 400 without a multipart body or without the "file" field', async () => {
    const none = await t.http.post('/api/media').set(...bearer(me.token)).send({ file: 'x' }).expect(400);
    expect((none.body as ApiErrorBody).error.details?.[0]).toMatchObject({ field: 'file', code: 'required' });
    const wrongField = await t.http.post('/api/media').set(...bearer(me.token)).attach('picture', await files.png(8, 8), 'a.png').expect(400);
    expect((wrongField.body as ApiErrorBody).error.details?.[0]).toMatchObject({ field: 'file', code: 'required' });
    await t.http.post('/api/media').attach('file', await files.png(8, 8), 'a.png').expect(401);
  });

  it('leaves no temp file when the client goes away mid-upload, and keeps serving', async () => {
    const { port } = new URL(t.url);
    const boundary = 'xBOUNDARYx';
    const req = httpRequest({
      host: '127.0.0.1', port, method: 'POST', path: '/api/media',
      headers: { Authorization: `Bearer ${me.token}`, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(5_000_000) },
    });
    req.on('error', () => undefined);
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`);
    req.write(randomBytes(300_000));
    await eventually(async () => ((await leftovers()).some((f) => f.startsWith('upload-')) ? true : undefined));
    req.destroy();
    await eventually(async () => ((await leftovers()).length === 0 ? true : undefined));
    await t.http.get('/api/health').expect(200);
    await upload(t.http, me.token, await files.png(16, 16), 'after.png').expect(201);
  });
});
