import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkKey, StorageMissingError, type ByteRange, type MediaStorage, type StoredObject } from './storage.js';

const isMissing = (e: unknown): boolean => (e as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Files under one root folder. A put writes `<key>.part-<uuid>` and renames it into place, so a
 * reader sees the old object or the whole new one; the content type sits beside it in `<key>.type`.
 */
export class LocalStorage implements MediaStorage {
  readonly driver = 'local';

  constructor(private readonly root: string) {}

  private path(key: string): string {
    return join(this.root, ...checkKey(key).split('/'));
  }

  async put(key: string, body: Readable, meta: { size: number; contentType: string }): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const part = `${target}.part-${randomUUID()}`;
    try {
      await pipeline(body, createWriteStream(part, { flags: 'wx' }));
      const written = (await stat(part)).size;
      if (written !== meta.size) throw new Error(`stored ${written} bytes of ${meta.size} for ${key}`);
      await writeFile(`${target}.type`, meta.contentType);
      await rename(part, target);
    } catch (e) {
      await rm(part, { force: true });
      throw e;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const path = this.path(key);
    try {
      await stat(path);
    } catch (e) {
      if (isMissing(e)) throw new StorageMissingError(key);
      throw e;
    }
    return createReadStream(path, range ? { start: range.start, end: range.end } : {});
  }

  async stat(key: string): Promise<StoredObject | null> {
    const path = this.path(key);
    try {
      const [info, contentType] = await Promise.all([
        stat(path),
        readFile(`${path}.type`, 'utf8').catch(() => 'application/octet-stream'),
      ]);
      return { size: info.size, contentType };
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.path(key);
    await Promise.all([rm(path, { force: true }), rm(`${path}.type`, { force: true })]);
  }
}
