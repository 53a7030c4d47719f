import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { DomainError } from '../../common/errors/domain-error.js';
import type { MediaFile } from '../media-file.js';
import { StorageMissingError, type MediaStorage } from '../storage/storage.js';
import { safeFileName } from '../media-names.js';
import { answerRange } from './range.js';

export interface ServeOptions {
  /** The file name offered to "Save as" (already cleaned). */
  filename: string;
  cacheControl: string;
  /** `attachment` for files: a browser saves them and never shows them on the site's origin. */
  disposition?: 'inline' | 'attachment';
}

/** `inline` (or `attachment`) with an ASCII fallback name and the UTF-8 one (RFC 6266), both cleaned of invisible characters. */
export function contentDisposition(raw: string, type: 'inline' | 'attachment' = 'inline'): string {
  const filename = safeFileName(raw);
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * Streams a stored file with the headers media needs: its proven type, nosniff, inline disposition
 * with a safe name, a sandboxing CSP (if the file is ever opened as a page, nothing in it runs),
 * an ETag, private or public caching, and single byte ranges (206 / 416) for seeking in video.
 */
export async function sendStored(req: Request, res: Response, storage: MediaStorage, file: MediaFile, opts: ServeOptions): Promise<void> {
  const etag = `"${file.key.replace(/[^\w.-]/g, '_')}-${file.size}"`;
  if (req.headers['if-none-match'] === etag) {
    res.status(304).setHeader('ETag', etag).setHeader('Cache-Control', opts.cacheControl).end();
    return;
  }
  const ifRange = req.headers['if-range'];
  const answer = answerRange(req.headers.range, file.size, ifRange === undefined || ifRange === etag);
  if (answer.status === 416) {
    res.setHeader('Content-Range', `bytes */${file.size}`);
    throw new DomainError('RANGE_NOT_SATISFIABLE', `The file has ${file.size} bytes`);
  }
  const body = await storage.get(file.key, answer.status === 206 ? answer.range : undefined).catch((e: unknown) => {
    throw e instanceof StorageMissingError ? DomainError.notFound() : e;
  });
  res.status(answer.status).set({
    'Content-Type': file.mime,
    'X-Content-Type-Options': 'nosniff',
    'Content-Disposition': contentDisposition(opts.filename, opts.disposition),
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': opts.cacheControl,
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Content-Length': String(answer.status === 206 ? answer.range.end - answer.range.start + 1 : file.size),
  });
  if (answer.status === 206) res.setHeader('Content-Range', `bytes ${answer.range.start}-${answer.range.end}/${file.size}`);
  if (req.method === 'HEAD') {
    body.destroy();
    res.end();
    return;
  }
  await pipeline(body, res).catch(() => res.destroy());
}
