import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { Response } from 'superagent';
import type TestAgent from 'supertest/lib/agent.js';
import type { Test } from 'supertest';
import type { MediaKeyView, MediaView } from '@app/contracts';
import { resolveBinary } from '../../src/media/processing/ffmpeg.js';
import { bearer } from './factories.js';

const exec = promisify(execFile);

/** Real files made here, each as a test needs it; nothing is checked in. */
export const files = {
  png: (width = 800, height = 600): Promise<Buffer> =>
    sharp({ create: { width, height, channels: 3, background: { r: 30, g: 120, b: 200 } } }).png().toBuffer(),

  webp: (): Promise<Buffer> =>
    sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 0, g: 200, b: 0, alpha: 0.5 } } }).webp().toBuffer(),

  /** A JPEG from a "phone": camera orientation 6 (90° clockwise) and a GPS position in EXIF. */
  jpegWithGps: (): Promise<Buffer> =>
    sharp({ create: { width: 1600, height: 900, channels: 3, background: { r: 240, g: 200, b: 10 } } })
      .withMetadata({ orientation: 6 })
      .withExif({ IFD0: { Make: 'PhoneMaker', Model: 'SecretPhone 9' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2964/100', GPSLongitudeRef: 'E', GPSLongitude: '2/1 17/1 4010/100' } })
      .jpeg()
      .toBuffer(),

  /** An animated GIF of `frames` frames. */
  gif: (frames = 4, width = 64, height = 48): Promise<Buffer> => {
    const raw = Buffer.alloc(width * height * frames * 3);
    for (let f = 0; f < frames; f += 1) raw.fill((f * 60) % 256, f * width * height * 3, (f + 1) * width * height * 3);
    return sharp(raw, { raw: { width, height: height * frames, channels: 3, pageHeight: height } }).gif({ delay: Array(frames).fill(100), loop: 0 }).toBuffer();
  },
};

async function ffmpeg(args: string[], out: string): Promise<Buffer> {
  await exec(resolveBinary('ffmpeg', null), ['-v', 'error', '-y', ...args, out]);
  return readFile(out);
}

const testSource = (size: string, seconds: number): string[] => [
  '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=10`, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', String(seconds),
];

/** Short clips made by ffmpeg: an MP4 (H.264 + AAC) with a GPS location (a `loci` atom) and a title, and a WebM (VP8 + Opus). */
export const clips = {
  async mp4(opts: { size?: string; seconds?: number } = {}): Promise<Buffer> {
    const dir = await mkdtemp(join(tmpdir(), 'clip-'));
    return ffmpeg([...testSource(opts.size ?? '320x240', opts.seconds ?? 2), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-metadata', 'location=+48.8584+002.2945/', '-metadata', 'title=Secret title'], join(dir, 'a.mp4'));
  },
  async webm(opts: { size?: string; seconds?: number } = {}): Promise<Buffer> {
    const dir = await mkdtemp(join(tmpdir(), 'clip-'));
    return ffmpeg([...testSource(opts.size ?? '320x240', opts.seconds ?? 2), '-c:v', 'libvpx', '-deadline', 'realtime', '-c:a', 'libopus',
      '-metadata', 'title=Secret title'], join(dir, 'a.webm'));
  },
  /** A phone video shot upright: 320×240 frames stored with a 90° display rotation. */
  async rotatedMp4(): Promise<Buffer> {
    const dir = await mkdtemp(join(tmpdir(), 'clip-'));
    await ffmpeg([...testSource('320x240', 1), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-an'], join(dir, 'plain.mp4'));
    return ffmpeg(['-i', join(dir, 'plain.mp4'), '-c', 'copy', '-metadata:s:v:0', 'rotate=90'], join(dir, 'r.mp4'));
  },
  /** An MKV (Matroska, not WebM) and a QuickTime MOV: real videos, but not the accepted containers. */
  async mkv(): Promise<Buffer> {
    const dir = await mkdtemp(join(tmpdir(), 'clip-'));
    return ffmpeg([...testSource('160x120', 1), '-c:v', 'libx264', '-preset', 'ultrafast', '-an', '-f', 'matroska'], join(dir, 'a.mkv'));
  },
  async mov(): Promise<Buffer> {
    const dir = await mkdtemp(join(tmpdir(), 'clip-'));
    return ffmpeg([...testSource('160x120', 1), '-c:v', 'libx264', '-preset', 'ultrafast', '-an', '-f', 'mov'], join(dir, 'a.mov'));
  },
};

/** A tone of `seconds`, silent for its first half (so its waveform starts flat and ends loud). */
const halfSilentTone = (seconds: number): string[] => [
  '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`, '-af', `volume=enable='lt(t,${seconds / 2})':volume=0`, '-vn',
];

/** Voice recordings as browsers make them: Opus in Ogg (Firefox) or WebM (Chrome), AAC in MP4 (Safari). */
export const sounds = {
  async ogg(seconds = 2): Promise<Buffer> {
    const dir = await mkdtemp(join(tmpdir(), 'sound-'));
    return ffmpeg([...halfSilentTone(seconds), '-c:a', 'libopus', '-metadata', 'title=Secret title', '-f', 'ogg'], join(dir, 'a.ogg'));
  },
  async webm(seconds = 2): Promise<Buffer> {
    const dir = await mkdtemp(join(tmpdir(), 'sound-'));
    return ffmpeg([...halfSilentTone(seconds), '-c:a', 'libopus', '-f', 'webm'], join(dir, 'a.webm'));
  },
  async m4a(seconds = 2): Promise<Buffer> {
    const dir = await mkdtemp(join(tmpdir(), 'sound-'));
    return ffmpeg([...halfSilentTone(seconds), '-c:a', 'aac', '-f', 'mp4'], join(dir, 'a.m4a'));
  },
};

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k += 1) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Hand-built hostile files. */
export const hostile = {
  svg: Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>'),
  html: Buffer.from('<!doctype html><html><body><script>fetch("/api/users/me")</script></body></html>'),
  /** A well-formed PNG header whose image data is garbage. */
  pngGarbage(): Buffer {
    const ihdr = Buffer.from([0, 0, 0, 64, 0, 0, 0, 64, 8, 2, 0, 0, 0]);
    return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', Buffer.from('this is not zlib data at all, just garbage bytes')), pngChunk('IEND', Buffer.alloc(0))]);
  },
  /** A valid PNG that declares 50000 × 50000 (2.5 gigapixels) in a few hundred bytes: a decompression bomb. */
  pngBomb(): Buffer {
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(50_000, 0);
    ihdr.writeUInt32BE(50_000, 4);
    ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
    const rows = deflateSync(Buffer.alloc(50_001 * 8)); // the first rows only; a decoder would inflate 2.5 GB
    return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', rows), pngChunk('IEND', Buffer.alloc(0))]);
  },
  /** A GIF declaring `frames` frames of 2000 × 2000 each, ~20 bytes per frame: an endless-frames bomb. */
  gifFrames(frames: number): Buffer {
    const screen = Buffer.from([0xd0, 0x07, 0xd0, 0x07, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff]); // 2000×2000, 2-colour table
    const frame = Buffer.from([0x2c, 0, 0, 0, 0, 0xd0, 0x07, 0xd0, 0x07, 0, 0x02, 0x02, 0x44, 0x01, 0x00]);
    return Buffer.concat([Buffer.from('GIF89a'), screen, ...Array<Buffer>(frames).fill(frame), Buffer.from([0x3b])]);
  },
  /** A real JPEG with an HTML page appended after its end: a JPEG/HTML polyglot. */
  async jpegHtml(): Promise<Buffer> {
    const jpeg = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#888' } }).jpeg().toBuffer();
    return Buffer.concat([jpeg, Buffer.from('<html><script>alert(document.domain)</script></html>')]);
  },
  // A GIF that is also JavaScript: its screen width bytes are the two characters that open a JS
  // comment, and after the trailer comes the comment's end and `=alert(1);`.
  async gifJs(): Promise<Buffer> {
    const gif = await files.gif(1, 8, 8);
    const js = Buffer.from(gif);
    js.write('/*', 6, 'latin1');
    return Buffer.concat([js, Buffer.from('*/=alert(document.domain);')]);
  },
  /** A real PNG with a ZIP-like payload appended (GIFAR-style): nothing may ride after IEND. */
  async pngTail(): Promise<Buffer> {
    return Buffer.concat([await files.png(32, 32), Buffer.from('PK\x03\x04 appended archive bytes')]);
  },
  /** A JPEG carrying an appended binary trailer (as some phones write): accepted, the trailer dropped. */
  async jpegTrailer(): Promise<Buffer> {
    const jpeg = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#123456' } }).jpeg().toBuffer();
    return Buffer.concat([jpeg, Buffer.from('TRAILER-7f3a9c-binary-data')]);
  },
};

export function upload(http: TestAgent, token: string, file: Buffer, filename = 'file.bin', contentType = 'application/octet-stream'): Test {
  return http.post('/api/media').set(...bearer(token)).attach('file', file, { filename, contentType });
}

export async function uploaded(http: TestAgent, token: string, file: Buffer, filename?: string): Promise<MediaView> {
  const res = await upload(http, token, file, filename);
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as MediaView;
}

/** Uploads a recording as a voice message (`?as=voice`). */
export function uploadVoice(http: TestAgent, token: string, file: Buffer, filename = 'voice.ogg'): Test {
  return http.post('/api/media?as=voice').set(...bearer(token)).attach('file', file, { filename, contentType: 'audio/ogg' });
}

export async function mediaKey(http: TestAgent, token: string): Promise<string> {
  return ((await http.get('/api/media/key').set(...bearer(token)).expect(200)).body as MediaKeyView).key;
}

/** Buffers any body as bytes (supertest leaves video/* unparsed): `.buffer(true).parse(binary)`. */
export function binary(response: Response, cb: (err: Error | null, body: Buffer) => void): void {
  // In Node, superagent hands parsers the raw response stream.
  const res = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
  res.on('error', (e: Error) => cb(e, Buffer.alloc(0)));
}
