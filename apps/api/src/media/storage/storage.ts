import type { Readable } from 'node:stream';

/** An inclusive byte range, already checked against the object's size. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface StoredObject {
  size: number;
  contentType: string;
}

/**
 * Where media bytes live. Keys are opaque slash-separated names chosen by the API (never by a
 * client). Two drivers: local disk (default) and an S3-compatible bucket.
 */
export interface MediaStorage {
  readonly driver: 'local' | 's3';
  /** Stores a stream of exactly `size` bytes under `key` (replacing it); no reader sees a partial object. */
  put(key: string, body: Readable, meta: { size: number; contentType: string }): Promise<void>;
  /** The object's bytes, or only `range` of them; throws StorageMissingError when absent. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  stat(key: string): Promise<StoredObject | null>;
  /** Removes the object; absent is fine. */
  delete(key: string): Promise<void>;
}

export const MEDIA_STORAGE = Symbol('MEDIA_STORAGE');

export class StorageMissingError extends Error {
  constructor(key: string) {
    super(`no stored object ${key}`);
    this.name = 'StorageMissingError';
  }
}

const KEY = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_.-]*)*$/;

/** Keys are made by the API, but a bad one must never reach a path or a bucket: defence in depth. */
export function checkKey(key: string): string {
  if (key.length > 256 || !KEY.test(key) || key.includes('..')) throw new Error(`invalid storage key ${JSON.stringify(key)}`);
  return key;
}
