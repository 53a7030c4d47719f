import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { PushPayload, PushSubscriptionRequest } from '@app/contracts';

/** How the push service answers one subscription's pushes. */
export type Behaviour = 'accept' | 'gone' | 'not-found' | 'hang' | 'unavailable';

/** A push as the browser would get it: decrypted, with the VAPID claims it came with. */
export interface ReceivedPush {
  device: string;
  payload: PushPayload;
  vapidKey: string;
  audience: string;
  ttl: string | undefined;
  at: number;
}

/** The browser's side of a subscription: its own P-256 key pair and auth secret (RFC 8291 §2). */
export class FakeBrowser {
  readonly ecdh = createECDH('prime256v1');
  readonly auth = randomBytes(16);

  constructor(readonly id: string, readonly endpoint: string) {
    this.ecdh.generateKeys();
  }

  subscription(): PushSubscriptionRequest {
    return { endpoint: this.endpoint, keys: { p256dh: this.ecdh.getPublicKey().toString('base64url'), auth: this.auth.toString('base64url') } };
  }

  /** RFC 8291 §3.4 + RFC 8188: one aes128gcm record, keys from ECDH + HKDF with the auth secret. */
  decrypt(body: Buffer): string {
    const salt = body.subarray(0, 16);
    const idLength = body.readUInt8(20);
    const serverKey = body.subarray(21, 21 + idLength);
    const ciphertext = body.subarray(21 + idLength);
    const shared = this.ecdh.computeSecret(serverKey);
    const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), this.ecdh.getPublicKey(), serverKey]);
    const ikm = Buffer.from(hkdfSync('sha256', shared, this.auth, keyInfo, 32));
    const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
    const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
    const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
    const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end -= 1;
    if (padded[end] !== 2) throw new Error('not the last record (delimiter 0x02 missing)');
    return padded.subarray(0, end).toString('utf8');
  }
}

/** Checks the VAPID token (RFC 8292): ES256 over header.claims with the key in `k`; returns its claims. */
function verifyVapid(authorization: string | undefined): { key: string; aud: string } {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(authorization ?? '');
  if (!match) throw new Error(`no VAPID authorization: ${authorization}`);
  const [, token, key] = match;
  const [head, claims, signature] = token.split('.');
  const point = Buffer.from(key, 'base64url');
  const publicKey = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    format: 'jwk',
  });
  const ok = verify('sha256', Buffer.from(`${head}.${claims}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  if (!ok) throw new Error('bad VAPID signature');
  const parsed = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as { aud: string; exp: number };
  return { key, aud: parsed.aud };
}

/**
 * A push service of the test's own on 127.0.0.1 over HTTPS (web-push speaks only https), with a
 * self-signed certificate the API trusts through PUSH_CA_FILE. It decrypts what arrives with each
 * fake browser's private key.
 */
export class LocalPushService {
  readonly received: ReceivedPush[] = [];
  readonly hits = new Map<string, number>();
  readonly errors: string[] = [];
  private readonly browsers = new Map<string, FakeBrowser>();
  private readonly behaviour = new Map<string, Behaviour>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly waiters: (() => void)[] = [];
  private server!: Server;
  private base = '';
  /** Known before start() so a site can be configured with it; written by start(). */
  readonly caFile = join(tmpdir(), `push-ca-${randomBytes(6).toString('hex')}.pem`);

  async start(): Promise<void> {
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
      ],
    });
    await writeFile(this.caFile, pems.cert);
    this.server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => void this.handle(req, res));
    // Idle connections stay open longer than a test runs: a kept-alive socket closed under the
    // sender's feet would be retried only after the backoff, which is not what a test looks at.
    this.server.keepAliveTimeout = 120_000;
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await rm(this.caFile, { force: true });
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A new browser whose pushes get `behaviour`. */
  browser(behaviour: Behaviour = 'accept'): FakeBrowser {
    const id = randomBytes(8).toString('hex');
    const b = new FakeBrowser(id, `${this.base}/push/${id}`);
    this.browsers.set(id, b);
    this.behaviour.set(id, behaviour);
    return b;
  }

  setBehaviour(b: FakeBrowser, behaviour: Behaviour): void {
    this.behaviour.set(b.id, behaviour);
  }

  for(b: FakeBrowser): ReceivedPush[] {
    return this.received.filter((r) => r.device === b.id);
  }

  /** Resolves once `predicate` holds over what arrived (checked on every arrival), or fails after `ms`. */
  async until(predicate: () => boolean, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate()) {
      if (this.errors.length) throw new Error(this.errors.join('; '));
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('the push service did not see what was expected in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const id = /^\/push\/(\w+)$/.exec(req.url ?? '')?.[1] ?? '';
    const browser = this.browsers.get(id);
    this.hits.set(id, (this.hits.get(id) ?? 0) + 1);
    const behaviour = this.behaviour.get(id) ?? 'not-found';
    try {
      if (behaviour === 'hang') {
        this.hanging.add(res);
        return;
      }
      if (!browser || behaviour === 'not-found') return void res.writeHead(404).end();
      if (behaviour === 'gone') return void res.writeHead(410).end();
      if (behaviour === 'unavailable') return void res.writeHead(503, { 'Retry-After': '1' }).end();
      if (req.method !== 'POST' || req.headers['content-encoding'] !== 'aes128gcm') throw new Error(`unexpected ${req.method} ${req.headers['content-encoding']}`);
      const vapid = verifyVapid(req.headers.authorization);
      const payload = JSON.parse(browser.decrypt(Buffer.concat(chunks))) as PushPayload;
      this.received.push({ device: id, payload, vapidKey: vapid.key, audience: vapid.aud, ttl: req.headers.ttl as string | undefined, at: Date.now() });
      res.writeHead(201).end();
    } catch (e) {
      this.errors.push((e as Error).message);
      res.writeHead(400).end();
    } finally {
      for (const w of this.waiters.splice(0)) w();
    }
  }
}
