import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import busboy, { type Busboy } from 'busboy';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { RateLimitService, type RateRule } from '../../common/rate-limit/rate-limit.service.js';
import { safeFileName } from '../media-names.js';

/** An uploaded file on disk in the API's temp folder, removed when `withUpload`'s work is done. */
export interface TempUpload {
  path: string;
  size: number;
  /** The client's file name, cleaned (never trusted for the type). */
  name: string;
}

const FIELD = 'file';
const noFile = (): DomainError => DomainError.validation(FIELD, 'required', `Attach the file in the "${FIELD}" field of a multipart/form-data body`);

/**
 * Streams one multipart file straight to a temp file (never into memory) with busboy, stopping at
 * `maxBytes` (413, answered at once: the rest of the body is drained and dropped). An aborted
 * request, a parse error or any failure later removes the temp file.
 */
@Injectable()
export class UploadReceiver {
  private readonly rule: RateRule;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly limits: RateLimitService,
  ) {
    this.rule = { name: 'upload', points: config.rate.uploadsPerMinute, durationSeconds: 60 };
  }

  /** `ownerId` pays one upload of the per-minute allowance (429 past it) before a byte is read. */
  async withUpload<T>(req: IncomingMessage, ownerId: string, maxBytes: number, work: (upload: TempUpload) => Promise<T>): Promise<T> {
    if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) throw noFile();
    await this.limits.consume(this.rule, ownerId);
    await mkdir(this.config.media.tmpDir, { recursive: true });
    const path = join(this.config.media.tmpDir, `upload-${randomUUID()}`);
    try {
      const name = await this.receive(req, path, maxBytes);
      return await work({ path, name, size: (await stat(path)).size });
    } finally {
      await rm(path, { force: true });
    }
  }

  private receive(req: IncomingMessage, path: string, maxBytes: number): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      let bb: Busboy;
      try {
        bb = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { fileSize: maxBytes, files: 1, fields: 8, parts: 10, fieldSize: 1024 } });
      } catch {
        return reject(noFile());
      }
      let part: Readable | null = null;
      let sink: WriteStream | null = null;
      let written: Promise<void> = Promise.resolve();
      let name = '';
      let settled = false;
      const stop = (error: DomainError | null): void => {
        if (settled) return;
        settled = true;
        req.off('close', onClose);
        if (error) {
          req.unpipe(bb);
          req.resume();
          part?.destroy();
          // Settle once the temp file is closed, so the caller's removal cannot race its creation.
          // Waiting for the pipeline instead hung when the excess over the size limit came in
          // the body's last chunk (the cut file stream never let it settle).
          const file = sink;
          file?.destroy();
          const closed = !file || file.closed ? Promise.resolve() : new Promise<void>((done) => file.once('close', () => done()));
          void closed.then(() => reject(error));
          return;
        }
        written.then(() => resolve(name), () => reject(noFile()));
      };
      const onClose = (): void => {
        if (!req.complete) stop(new DomainError('VALIDATION_FAILED', 'The upload was aborted'));
      };
      bb.on('file', (field: string, stream: Readable, info: { filename?: string }) => {
        if (field !== FIELD || part) return void stream.resume();
        part = stream;
        name = safeFileName(info.filename);
        stream.once('limit', () => stop(new DomainError('PAYLOAD_TOO_LARGE', `The file is larger than ${formatBytes(maxBytes)}, the most accepted`)));
        sink = createWriteStream(path, { flags: 'wx' });
        written = pipeline(stream, sink);
        written.catch(() => undefined);
      });
      bb.once('close', () => stop(part ? null : noFile()));
      bb.once('error', () => stop(DomainError.validation(FIELD, 'malformed', 'The multipart body is malformed')));
      req.once('close', onClose);
      req.pipe(bb);
    });
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KiB`;
  return `${n} bytes`;
}
