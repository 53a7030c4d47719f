import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from './address-policy.js';

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

export interface SafeFetchOptions {
  /** Whole fetch, redirects and body included. */
  timeoutMs: number;
  /** Bytes read at most; past it the connection is dropped. */
  maxBytes: number;
  maxRedirects: number;
  /** Which content types are wanted (lower-cased, without parameters). */
  accept: (contentType: string) => boolean;
  /** Whether a body cut at maxBytes is still usable (an HTML head is; an image is not). */
  truncate: boolean;
  /** DNS resolution; tests inject their own. */
  resolve?: Resolver;
  /** Host names exempt from the address check: for tests and intranets only, empty by default. */
  allowHosts?: ReadonlySet<string>;
  userAgent?: string;
}

export interface Fetched {
  url: string;
  contentType: string;
  body: Buffer;
  truncated: boolean;
}

export type RefusalReason = 'bad-url' | 'private-address' | 'unresolvable' | 'too-many-redirects' | 'status' | 'content-type' | 'too-large' | 'timeout' | 'network';

/** Why a fetch was not done or not finished; never retried at once. */
export class FetchRefused extends Error {
  constructor(readonly reason: RefusalReason, detail = '') {
    super(`link fetch refused: ${reason}${detail ? ` (${detail})` : ''}`);
  }
}

const defaultResolve: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

/** Resolves a URL's host and checks every address; returns the one to connect to. */
async function pickAddress(url: URL, options: SafeFetchOptions): Promise<{ address: string; family: number }> {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const literal = isIP(host);
  const addresses = literal ? [{ address: host, family: literal }] : await (options.resolve ?? defaultResolve)(host).catch(() => []);
  if (addresses.length === 0) throw new FetchRefused('unresolvable', host);
  if (!options.allowHosts?.has(host) && addresses.some((a) => !isPublicAddress(a.address))) throw new FetchRefused('private-address', host);
  return addresses[0]!;
}

function parseUrl(raw: string, base?: string): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new FetchRefused('bad-url');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) throw new FetchRefused('bad-url');
  return url;
}

/** One request to a checked address: the socket connects to exactly that address (no second DNS answer). */
function requestOnce(url: URL, pinned: { address: string; family: number }, options: SafeFetchOptions, signal: AbortSignal): Promise<IncomingMessage> {
  const lookup: LookupFunction = (_host, lookupOptions, callback) => {
    if (lookupOptions.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'GET', lookup, signal, agent: false,
      headers: { accept: 'text/html,application/xhtml+xml,image/*;q=0.9', 'user-agent': options.userAgent ?? 'MessengerLinkPreview/1.0', 'accept-encoding': 'identity' },
    }, resolve);
    req.on('error', reject);
    req.end();
  });
}

async function readBody(res: IncomingMessage, options: SafeFetchOptions): Promise<{ body: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    const room = options.maxBytes - size;
    if (chunk.length > room) {
      res.destroy();
      if (!options.truncate) throw new FetchRefused('too-large');
      chunks.push(chunk.subarray(0, room));
      return { body: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { body: Buffer.concat(chunks), truncated: false };
}

/**
 * GET a public http(s) URL safely for a server: every address of every hop is checked and pinned,
 * redirects are followed a few times, time and size are bounded, and only wanted types are read.
 */
export async function safeFetch(raw: string, options: SafeFetchOptions): Promise<Fetched> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    let url = parseUrl(raw);
    for (let hop = 0; ; hop++) {
      const pinned = await pickAddress(url, options);
      if (controller.signal.aborted) throw new FetchRefused('timeout');
      const res = await requestOnce(url, pinned, options, controller.signal);
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.destroy();
        if (hop >= options.maxRedirects) throw new FetchRefused('too-many-redirects');
        url = parseUrl(res.headers.location, url.href);
        continue;
      }
      if (status < 200 || status >= 300) {
        res.destroy();
        throw new FetchRefused('status', String(status));
      }
      const contentType = (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!options.accept(contentType)) {
        res.destroy();
        throw new FetchRefused('content-type', contentType);
      }
      const { body, truncated } = await readBody(res, options);
      return { url: url.href, contentType, body, truncated };
    }
  } catch (error) {
    if (error instanceof FetchRefused) throw error;
    if (controller.signal.aborted) throw new FetchRefused('timeout');
    throw new FetchRefused('network', error instanceof Error ? error.message : '');
  } finally {
    clearTimeout(timer);
  }
}
