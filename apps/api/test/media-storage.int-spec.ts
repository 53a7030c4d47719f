import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { LocalStorage } from '../src/media/storage/local.storage.js';
import { S3Storage } from '../src/media/storage/s3.storage.js';
import { StorageMissingError, type MediaStorage } from '../src/media/storage/storage.js';
import { startLocalS3, type LocalS3 } from './support/s3.js';

let s3: LocalS3;
let s3Storage: S3Storage;
let localRoot: string;

beforeAll(async () => {
  s3 = await startLocalS3();
  s3Storage = new S3Storage(s3.config);
  localRoot = await mkdtemp(join(tmpdir(), 'local-storage-'));
});
afterAll(async () => {
  s3Storage.destroy();
  await s3.close();
});

async function bytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const drivers: [string, () => MediaStorage][] = [
  ['local disk', () => new LocalStorage(localRoot)],
  ['S3 (s3rver)', () => s3Storage],
];

describe.each(drivers)('the %s driver', (_name, make) => {
  const data = randomBytes(100_000);

  it('stores a stream, tells its size and type, and reads it whole or by range', async () => {
    const storage = make();
    await storage.put('media/one/original.jpg', Readable.from([data.subarray(0, 60_000), data.subarray(60_000)]), { size: data.length, contentType: 'image/jpeg' });
    expect(await storage.stat('media/one/original.jpg')).toEqual({ size: data.length, contentType: 'image/jpeg' });
    expect((await bytes(await storage.get('media/one/original.jpg'))).equals(data)).toBe(true);
    const slice = await bytes(await storage.get('media/one/original.jpg', { start: 1000, end: 1999 }));
    expect(slice.equals(data.subarray(1000, 2000))).toBe(true);
  });

  it('replaces an object whole, deletes it, and reports it missing afterwards', async () => {
    const storage = make();
    await storage.put('media/two/thumb.webp', Readable.from([Buffer.from('first version')]), { size: 13, contentType: 'image/webp' });
    await storage.put('media/two/thumb.webp', Readable.from([Buffer.from('second')]), { size: 6, contentType: 'image/webp' });
    expect((await bytes(await storage.get('media/two/thumb.webp'))).toString()).toBe('second');
    await storage.delete('media/two/thumb.webp');
    await storage.delete('media/two/thumb.webp');
    expect(await storage.stat('media/two/thumb.webp')).toBeNull();
    await expect(storage.get('media/two/thumb.webp')).rejects.toBeInstanceOf(StorageMissingError);
  });

  it('refuses keys that could leave its root', async () => {
    const storage = make();
    for (const key of ['../secrets.json', 'media/../../x', '/etc/passwd', 'Media/X', '']) {
      await expect(storage.put(key, Readable.from([Buffer.from('x')]), { size: 1, contentType: 'text/plain' })).rejects.toThrow(/invalid storage key/);
      await expect(storage.stat(key)).rejects.toThrow(/invalid storage key/);
    }
  });
});

describe('the local driver', () => {
  it('never leaves a partial file behind when the stream breaks or the size is wrong', async () => {
    const storage = new LocalStorage(localRoot);
    const broken = new Readable({ read() { this.push(Buffer.alloc(1000)); this.destroy(new Error('client went away')); } });
    await expect(storage.put('media/three/original.png', broken, { size: 5000, contentType: 'image/png' })).rejects.toThrow('client went away');
    await expect(storage.put('media/three/original.png', Readable.from([Buffer.alloc(10)]), { size: 11, contentType: 'image/png' })).rejects.toThrow(/stored 10 bytes of 11/);
    expect(await readdir(join(localRoot, 'media', 'three'))).toEqual([]);
    expect(await storage.stat('media/three/original.png')).toBeNull();
  });
});
