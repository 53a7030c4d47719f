// Type-checks the whole codebase, strict, failing on the first project with an error:
// 1. the API, libs, e2e and bench with TypeScript 7 (`tsc -p tsconfig.json`);
// 2. the web app — every .vue file, page, layout, store, composable, plugin and middleware, the
//    Nitro server (apps/web/server) and nuxt.config.ts — with vue-tsc over the tsconfigs Nuxt
//    generates in .nuxt (written here first by `nuxt prepare`, so a fresh clone works).
// vue-tsc runs on TypeScript 6 (see scripts/vue-tsc.cjs for why).
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, NUXT_TELEMETRY_DISABLED: '1' };

function step(title, args) {
  process.stdout.write(`typecheck: ${title}\n`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const vueTsc = [join(root, 'scripts/vue-tsc.cjs')];

step('api, libs, e2e, bench (tsc)', [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json']);
step('generating .nuxt (nuxt prepare)', [join(root, 'node_modules/nuxt/bin/nuxt.mjs'), 'prepare', '--logLevel', 'silent']);
step('web app: components, pages, stores, composables, plugins (vue-tsc)', [...vueTsc, '-p', '.nuxt/tsconfig.app.json']);
step('web server: Nitro routes, middleware, plugins (vue-tsc)', [...vueTsc, '-p', '.nuxt/tsconfig.server.json']);
step('nuxt.config.ts (vue-tsc)', [...vueTsc, '-p', '.nuxt/tsconfig.node.json']);
process.stdout.write('typecheck: 0 errors\n');
