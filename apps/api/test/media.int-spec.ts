import sharp from 'sharp';
import type { MediaView } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { binary, clips, files, hostile, uploaded } from './support/media.js';

let t: TestApp;
let me: Registered;

beforeAll(async () => {
  t = await createTestApp();
  me = await register(t.http);
});
afterAll(() => t.close());

async function fetchBytes(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer; headers: Record<string, string> }> {
  const res = await t.http.get(url).set(...bearer(me.token)).set(headers).buffer(true).parse(binary);
  return { status: res.status, body: res.body as Buffer, headers: res.headers as Record<string, string> };
}

/** The EXIF GPSInfo pointer tag (0x8825) in either byte order. */
const hasGpsTag = (b: Buffer): boolean => b.includes(Buffer.from([0x88, 0x25])) || b.includes(Buffer.from([0x25, 0x88]));

describe('accepted images', () => {
  it('JPEG: EXIF (GPS, camera) stripped by re-encoding, orientation applied, sizes, thumb and placeholder', async () => {
    const input = await files.jpegWithGps();
    expect(input.includes(Buffer.from('SecretPhone'))).toBe(true);
    expect(hasGpsTag((await sharp(input).metadata()).exif!)).toBe(true);
    const view = await uploaded(t.http, me.token, input, 'holiday.jpg');
    expect(view).toMatchObject({ kind: 'image', mime: 'image/jpeg', width: 900, height: 1600, durationMs: null });
    expect(view.placeholder).toMatch(/^data:image\/webp;base64,[A-Za-z0-9+/=]+$/);
    expect(view.urls).toEqual({
      original: `/api/media/${view.id}/original`,
      thumb: `/api/media/${view.id}/thumb`,
      poster: null,
      sizes: [
        { width: 360, height: 640, url: `/api/media/${view.id}/w640` },
        { width: 720, height: 1280, url: `/api/media/${view.id}/w1280` },
      ],
    });
    const original = await fetchBytes(view.urls.original);
    expect(original.status).toBe(200);
    expect(original.headers['content-type']).toBe('image/jpeg');
    expect(Number(original.headers['content-length'])).toBe(view.size);
    const meta = await sharp(original.body).metadata();
    expect([meta.format, meta.width, meta.height, meta.orientation, meta.exif]).toEqual(['jpeg', 900, 1600, undefined, undefined]);
    expect(original.body.includes(Buffer.from('SecretPhone'))).toBe(false);
    expect(original.body.includes(Buffer.from('PhoneMaker'))).toBe(false);
    expect(hasGpsTag(original.body)).toBe(false);
    for (const size of view.urls.sizes) {
      const res = await fetchBytes(size.url);
      const m = await sharp(res.body).metadata();
      expect([res.headers['content-type'], m.format, m.width, m.height, m.exif]).toEqual(['image/webp', 'webp', size.width, size.height, undefined]);
    }
    const thumb = await sharp((await fetchBytes(view.urls.thumb!)).body).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['webp', 180, 320]);
  });

  it.each([
    ['PNG', () => files.png(800, 600), 'image/png', 'png', [800, 600], [640]],
    ['WebP', () => files.webp(), 'image/webp', 'webp', [300, 200], []],
  ] as const)('%s: stored in its own format with WebP sizes below its size', async (_name, make, mime, format, [w, h], edges) => {
    const view = await uploaded(t.http, me.token, await make(), 'picture.bin');
    expect(view).toMatchObject({ kind: 'image', mime, width: w, height: h });
    expect(view.urls.sizes.map((s) => Math.max(s.width, s.height))).toEqual(edges);
    const original = await fetchBytes(view.urls.original);
    expect((await sharp(original.body).metadata()).format).toBe(format);
    expect(original.headers['content-disposition']).toBe(`inline; filename="picture.${format}"; filename*=UTF-8''picture.${format}`);
  });

  it('GIF: stays animated (every frame kept), with a still WebP thumb', async () => {
    const view = await uploaded(t.http, me.token, await files.gif(6, 64, 48), 'loop.gif');
    expect(view).toMatchObject({ kind: 'image', mime: 'image/gif', width: 64, height: 48 });
    const original = await sharp((await fetchBytes(view.urls.original)).body, { animated: true }).metadata();
    expect([original.format, original.pages, original.pageHeight]).toEqual(['gif', 6, 48]);
    const thumb = await sharp((await fetchBytes(view.urls.thumb!)).body).metadata();
    expect([thumb.format, thumb.pages ?? 1]).toEqual(['webp', 1]);
  });

  it('answers every file with nosniff, a safe inline name, a sandbox CSP and private caching', async () => {
    const view = await uploaded(t.http, me.token, await files.png(100, 80), '../../etc/évil;name.png');
    const res = await fetchBytes(view.urls.original);
    expect(res.headers).toMatchObject({
      'content-type': 'image/png',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, max-age=3600',
      'accept-ranges': 'bytes',
    });
    expect(res.headers['content-disposition']).toBe(`inline; filename="_vilname.png"; filename*=UTF-8''%C3%A9vilname.png`);
    const again = await t.http.get(view.urls.original).set(...bearer(me.token)).set('If-None-Match', res.headers.etag);
    expect(again.status).toBe(304);
  });
});

describe('accepted videos', () => {
  async function checkVideo(view: MediaView, mime: string, format: string): Promise<Buffer> {
    expect(view).toMatchObject({ kind: 'video', mime, width: 320, height: 240 });
    expect(view.durationMs).toBeGreaterThanOrEqual(1900);
    expect(view.durationMs).toBeLessThanOrEqual(2100);
    expect(view.urls.poster).toBe(`/api/media/${view.id}/poster`);
    expect(view.urls.sizes).toEqual([]);
    const poster = await sharp((await fetchBytes(view.urls.poster!)).body).metadata();
    expect([poster.format, poster.width, poster.height]).toEqual(['webp', 320, 240]);
    const thumb = await sharp((await fetchBytes(view.urls.thumb!)).body).metadata();
    expect([thumb.format, thumb.width]).toEqual(['webp', 320]);
    const original = await fetchBytes(view.urls.original);
    expect(original.headers['content-type']).toBe(mime);
    expect(original.body.subarray(4, 8).toString('latin1') === 'ftyp' || format === 'webm').toBe(true);
    return original.body;
  }

  it('MP4: remuxed without metadata (GPS location and title gone), poster, duration and size', async () => {
    const input = await clips.mp4();
    expect(input.includes(Buffer.from('loci'))).toBe(true);
    const body = await checkVideo(await uploaded(t.http, me.token, input, 'clip.mp4'), 'video/mp4', 'mp4');
    expect(body.includes(Buffer.from('loci'))).toBe(false);
    expect(body.includes(Buffer.from('Secret title'))).toBe(false);
    // faststart: the index (moov) comes before the media data, so playback starts before the download ends.
    expect(body.indexOf(Buffer.from('moov'))).toBeLessThan(body.indexOf(Buffer.from('mdat')));
  });

  it('WebM: remuxed without its title, poster and duration', async () => {
    const input = await clips.webm();
    expect(input.includes(Buffer.from('Secret title'))).toBe(true);
    const body = await checkVideo(await uploaded(t.http, me.token, input, 'clip.webm'), 'video/webm', 'webm');
    expect(body.includes(Buffer.from('Secret title'))).toBe(false);
    expect(body.readUInt32BE(0)).toBe(0x1a45dfa3);
  });

  it('a video shot upright reports its display size and an upright poster', async () => {
    const view = await uploaded(t.http, me.token, await clips.rotatedMp4(), 'upright.mp4');
    expect([view.width, view.height]).toEqual([240, 320]);
    const poster = await sharp((await fetchBytes(view.urls.poster!)).body).metadata();
    expect([poster.width, poster.height]).toEqual([240, 320]);
  });
});

describe('range requests', () => {
  let view: MediaView;
  let whole: Buffer;

  beforeAll(async () => {
    view = await uploaded(t.http, me.token, await clips.mp4(), 'seek.mp4');
    whole = (await fetchBytes(view.urls.original)).body;
  });

  it.each([
    ['a middle slice', 'bytes=100-199', 100, 199],
    ['an open end', 'bytes=1000-', 1000, -1],
    ['a suffix', 'bytes=-500', -500, -1],
    ['an end past the size (clamped)', 'bytes=10-99999999', 10, -1],
  ])('206 with exactly the asked bytes for %s', async (_name, range, start, end) => {
    const size = whole.length;
    const from = start < 0 ? size + start : start;
    const to = end < 0 ? size - 1 : end;
    const res = await fetchBytes(view.urls.original, { Range: range });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes ${from}-${to}/${size}`);
    expect(Number(res.headers['content-length'])).toBe(to - from + 1);
    expect(res.body.equals(whole.subarray(from, to + 1))).toBe(true);
  });

  it('416 with the size for a range past the end, and the whole file for ranges it may ignore', async () => {
    const past = await t.http.get(view.urls.original).set(...bearer(me.token)).set('Range', `bytes=${whole.length}-`);
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${whole.length}`);
    expect(past.body).toEqual({ error: { code: 'RANGE_NOT_SATISFIABLE', message: `The file has ${whole.length} bytes` } });
    for (const ignored of ['bytes=5-1', 'bytes=0-1,5-9', 'items=0-10', 'bytes=abc']) {
      const res = await fetchBytes(view.urls.original, { Range: ignored });
      expect([res.status, res.body.length]).toEqual([200, whole.length]);
    }
    const stale = await fetchBytes(view.urls.original, { Range: 'bytes=0-9', 'If-Range': '"another-version"' });
    expect([stale.status, stale.body.length]).toEqual([200, whole.length]);
  });

  it('serves HEAD with the length and no body', async () => {
    const res = await t.http.head(view.urls.original).set(...bearer(me.token)).expect(200);
    expect(Number(res.headers['content-length'])).toBe(whole.length);
    expect(res.headers['accept-ranges']).toBe('bytes');
  });

  it('still accepts a JPEG that carries a trailer, and drops the trailer', async () => {
    const input = await hostile.jpegTrailer();
    const stored = await uploaded(t.http, me.token, input, 'trailer.jpg');
    const body = (await fetchBytes(stored.urls.original)).body;
    expect(body.includes(Buffer.from('TRAILER-7f3a9c'))).toBe(false);
  });
});
