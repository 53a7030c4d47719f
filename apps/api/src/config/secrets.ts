import { createECDH, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from './app-config.js';
import type { EnvironmentVariables } from './env.schema.js';

/** The secrets the API keeps for itself when the environment gives none: the JWT secret and the VAPID key pair. */
interface StoredSecrets {
  jwtSecret: string;
  vapidPublicKey: string;
  vapidPrivateKey: string;
}

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/** A fresh VAPID key pair: an uncompressed P-256 point and its 32-byte scalar, URL-safe base64. */
export function newVapidKeys(): VapidKeys {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const d = ecdh.getPrivateKey();
  const privateKey = Buffer.concat([Buffer.alloc(32 - d.length), d]).toString('base64url');
  return { publicKey: ecdh.getPublicKey().toString('base64url'), privateKey };
}

/** Whether a stored pair really is a P-256 key pair (the public key is the private key's point). */
function isVapidPair(publicKey: unknown, privateKey: unknown): boolean {
  if (typeof publicKey !== 'string' || typeof privateKey !== 'string') return false;
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(privateKey, 'base64url'));
    return ecdh.getPublicKey().toString('base64url') === publicKey;
  } catch {
    return false;
  }
}

/** Secrets are generated once into `<dataDir>/secrets.json` when the environment gives none; missing ones are added. */
export function loadSecrets(dataDir: string): StoredSecrets {
  const file = join(dataDir, 'secrets.json');
  const parsed = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredSecrets>) : {};
  const jwtOk = typeof parsed.jwtSecret === 'string' && parsed.jwtSecret.length >= 32;
  const vapidOk = isVapidPair(parsed.vapidPublicKey, parsed.vapidPrivateKey);
  if (jwtOk && vapidOk) return parsed as StoredSecrets;
  const vapid = vapidOk ? { publicKey: parsed.vapidPublicKey!, privateKey: parsed.vapidPrivateKey! } : newVapidKeys();
  const secrets: StoredSecrets = {
    jwtSecret: jwtOk ? parsed.jwtSecret! : randomBytes(48).toString('base64url'),
    vapidPublicKey: vapid.publicKey,
    vapidPrivateKey: vapid.privateKey,
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** The VAPID keys the push module signs with: the environment's, else generated once into the secrets file. */
export function vapidKeys(config: AppConfig): VapidKeys {
  if (config.push.vapid) return config.push.vapid;
  const stored = loadSecrets(config.dataDir);
  return { publicKey: stored.vapidPublicKey, privateKey: stored.vapidPrivateKey };
}

/** The VAPID keys of the environment: both or neither, and a real pair. */
export function envVapidKeys(env: EnvironmentVariables): VapidKeys | null {
  const pub = env.VAPID_PUBLIC_KEY;
  const priv = env.VAPID_PRIVATE_KEY;
  if (pub === undefined && priv === undefined) return null;
  if (pub === undefined || priv === undefined) {
    throw new Error('Invalid configuration:\n  VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY: set both or neither');
  }
  if (!isVapidPair(pub, priv)) {
    throw new Error('Invalid configuration:\n  VAPID_PUBLIC_KEY=***, VAPID_PRIVATE_KEY=***: the public key is not the private key\'s');
  }
  return { publicKey: pub, privateKey: priv };
}
