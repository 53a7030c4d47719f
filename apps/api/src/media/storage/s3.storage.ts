import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { S3Config } from '../../config/app-config.js';
import { checkKey, StorageMissingError, type ByteRange, type MediaStorage, type StoredObject } from './storage.js';

const isMissing = (e: unknown): boolean =>
  e instanceof S3ServiceException && (e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata.httpStatusCode === 404);

/**
 * An S3-compatible bucket (AWS, MinIO, R2, Garage, …). Checksums are sent only where S3 requires
 * them: the SDK's default streaming checksums (aws-chunked uploads) are not understood by every
 * S3-compatible server, and the object would be stored with the chunk framing in it.
 */
export class S3Storage implements MediaStorage {
  readonly driver = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(config: S3Config) {
    this.bucket = config.bucket;
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint ?? undefined,
      forcePathStyle: config.forcePathStyle,
      credentials: config.credentials ?? undefined,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
    });
  }

  async put(key: string, body: Readable, meta: { size: number; contentType: string }): Promise<void> {
    await this.client.send(new PutObjectCommand({
      Bucket: this.bucket,
      Key: checkKey(key),
      Body: body,
      ContentLength: meta.size,
      ContentType: meta.contentType,
    }));
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    try {
      const out = await this.client.send(new GetObjectCommand({
        Bucket: this.bucket,
        Key: checkKey(key),
        Range: range ? `bytes=${range.start}-${range.end}` : undefined,
      }));
      if (!(out.Body instanceof Readable)) throw new Error('S3 answered without a body stream');
      return out.Body;
    } catch (e) {
      if (isMissing(e)) throw new StorageMissingError(key);
      throw e;
    }
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }));
      return { size: out.ContentLength ?? 0, contentType: out.ContentType ?? 'application/octet-stream' };
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }));
  }

  destroy(): void {
    this.client.destroy();
  }
}
