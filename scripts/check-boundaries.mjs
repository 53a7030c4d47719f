// Architecture rules the linter cannot express: process.env only in config/, and feature
// dependencies pointing one way (users ← friendships ← chats ← messages; realtime only listens).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'apps/api/src');
const ORDER = ['users', 'presence', 'friendships', 'chats', 'messages', 'media'];
const problems = [];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (path.endsWith('.ts')) yield path;
  }
}

for (const file of files(src)) {
  const rel = relative(src, file);
  const feature = rel.split('/')[0];
  const text = readFileSync(file, 'utf8');
  if (!rel.startsWith('config/') && !rel.endsWith('.spec.ts') && /process\.env/.test(text)) {
    problems.push(`${rel}: reads process.env outside config/`);
  }
  for (const [, target] of text.matchAll(/from '\.\.\/([\w-]+)\//g)) {
    const from = ORDER.indexOf(feature);
    const to = ORDER.indexOf(target);
    if (from !== -1 && to !== -1 && to > from) problems.push(`${rel}: ${feature} must not depend on ${target}`);
    if (target === 'realtime' && feature !== 'realtime' && !['chats', 'messages'].includes(feature)) {
      problems.push(`${rel}: only gateways may import realtime types`);
    }
  }
}
if (problems.length) {
  process.stderr.write(`${problems.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write('boundaries ok\n');
