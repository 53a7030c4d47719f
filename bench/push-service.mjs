// Local Web Push service for `run.mjs --push N` (the bench's equivalent of
// apps/api/test/support/push-service.ts): HTTPS on 127.0.0.1 with a self-signed certificate (the
// API trusts it through PUSH_CA_FILE), N devices with their own P-256 key pair and auth secret
// (RFC 8291 §2). Every push is timed when its body has arrived, then decrypted (aes128gcm, one
// record) for its (chatId, seq). Runs pinned to core 1 like the generator.
//
//   node bench/push-service.mjs <devices> <ca-file>      (spawned by run.mjs with an IPC channel)
//
// IPC: sends {ready, port, devices: [{id, endpoint, p256dh, auth}]} once listening; answers
// {cmd: 'count'} with {count} and {cmd: 'report'} with {arrivals, errors, requests}.
import { createDecipheriv, createECDH, hkdfSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { generate } from 'selfsigned';

const n = Number(process.argv[2]);
const caFile = process.argv[3];
if (!Number.isInteger(n) || n < 1 || !caFile || !process.send) throw new Error('usage: node bench/push-service.mjs <devices> <ca-file> (with an IPC channel)');
const now = () => performance.timeOrigin + performance.now();

const devices = new Map();
for (let i = 0; i < n; i++) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  devices.set(randomBytes(8).toString('hex'), { ecdh, publicKey: ecdh.getPublicKey(), auth: randomBytes(16) });
}

/** RFC 8291 §3.4 + RFC 8188: keys from ECDH + HKDF with the auth secret, one aes128gcm record. */
function decrypt(d, body) {
  const salt = body.subarray(0, 16);
  const idLength = body.readUInt8(20);
  const serverKey = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), d.publicKey, serverKey]);
  const ikm = Buffer.from(hkdfSync('sha256', d.ecdh.computeSecret(serverKey), d.auth, keyInfo, 32));
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

const arrivals = []; // [device, at (ms, epoch), chatId, seq]
const errors = [];
let requests = 0;
const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
  keyType: 'ec',
  algorithm: 'sha256',
  extensions: [
    { name: 'basicConstraints', cA: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
  ],
});
writeFileSync(caFile, pems.cert);
const server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const at = now();
    requests += 1;
    const id = /^\/push\/(\w+)$/.exec(req.url ?? '')?.[1] ?? '';
    const d = devices.get(id);
    try {
      if (!d) return void res.writeHead(404).end();
      if (req.method !== 'POST' || req.headers['content-encoding'] !== 'aes128gcm') throw new Error(`unexpected ${req.method} ${req.headers['content-encoding']}`);
      if (!/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/.test(req.headers.authorization ?? '')) throw new Error('no VAPID authorization');
      const p = JSON.parse(decrypt(d, Buffer.concat(chunks)));
      arrivals.push([id, at, p.chatId, p.seq]);
      res.writeHead(201).end();
    } catch (e) {
      if (errors.length < 100) errors.push(e.message);
      res.writeHead(400).end();
    }
  });
});
// Kept-alive connections outlive the run: one closed under the sender would be retried after 1 s.
server.keepAliveTimeout = 120_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  process.send({
    ready: true,
    port,
    devices: [...devices].map(([id, d]) => ({ id, endpoint: `https://127.0.0.1:${port}/push/${id}`, p256dh: d.publicKey.toString('base64url'), auth: d.auth.toString('base64url') })),
  });
});
process.on('message', (m) => {
  if (m?.cmd === 'count') process.send({ count: arrivals.length });
  if (m?.cmd === 'report') process.send({ arrivals, errors, requests });
});
const bye = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('disconnect', bye);
process.on('SIGTERM', bye);
