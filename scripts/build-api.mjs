// Compiles the API and the shared libraries with SWC into dist/api, rewriting the
// @app/* aliases to relative paths so that plain `node dist/api/apps/api/src/main.js` runs.
import { transformFile } from '@swc/core';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/api');
const sources = ['apps/api/src', 'libs/contracts/src'];

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (/\.ts$/.test(entry.name) && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name)) yield path;
  }
}

await rm(out, { recursive: true, force: true });
let count = 0;
for (const src of sources) {
  for await (const file of walk(join(root, src))) {
    const { code, map } = await transformFile(file, {
      swcrc: false,
      sourceMaps: true,
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2023',
        keepClassNames: true,
        baseUrl: root,
        paths: { '@app/contracts': ['libs/contracts/src/index.ts'] },
      },
      module: { type: 'es6', resolveFully: true },
    });
    const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, `${code}\n//# sourceMappingURL=${target.split('/').pop()}.map\n`);
    if (map) await writeFile(`${target}.map`, map);
    count += 1;
  }
}
console.log(`built ${count} files into ${relative(root, out)}`);
