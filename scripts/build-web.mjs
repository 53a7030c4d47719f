// Builds the Nuxt app into .output; with --if-stale, only when its inputs changed since the last build;
// with --check, builds nothing and exits 0 when the build is up to date, 1 when it is not.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const inputs = ['apps/web', 'libs/contracts/src', 'nuxt.config.ts', 'package-lock.json'];
const stamp = join(root, '.output/.build-hash');

function hashTree(path, hash) {
  const full = join(root, path);
  if (!existsSync(full)) return;
  const stat = statSync(full);
  if (stat.isDirectory()) {
    for (const name of readdirSync(full).sort()) hashTree(join(path, name), hash);
  } else {
    hash.update(path).update(readFileSync(full));
  }
}

const hash = createHash('sha256');
for (const input of inputs) hashTree(input, hash);
const digest = hash.digest('hex');

const fresh = existsSync(stamp) && readFileSync(stamp, 'utf8') === digest;
if (process.argv.includes('--check')) process.exit(fresh ? 0 : 1);
if (process.argv.includes('--if-stale') && fresh) process.exit(0);
const result = spawnSync(process.execPath, [join(root, 'node_modules/nuxt/bin/nuxt.mjs'), 'build'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NUXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
});
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stamp, digest);
