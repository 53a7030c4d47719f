// Architecture rules the linter cannot express: process.env only in config/, feature
// dependencies pointing one way (users ← friendships ← chats ← messages; realtime only listens),
// data access only in repositories (`*.repository.ts`) and database/ (data source, migrations),
// and every gateway declared through @AckedGateway().
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
/** The API sources, or another tree laid out like them (the check's own test passes one). */
const src = process.argv[2] ? resolve(process.argv[2]) : join(root, 'apps/api/src');
const ORDER = ['users', 'presence', 'friendships', 'chats', 'messages', 'media'];
const problems = [];

/** What reaches the database; none of it may appear outside repositories and database/. */
const DATA_ACCESS = [
  [/\.query\s*(?:<[^>()]*>)?\s*\(/, '.query('],
  [/\bcreateQueryBuilder\b/, 'createQueryBuilder'],
  [/\bcreateQueryRunner\b/, 'createQueryRunner'],
  [/\bmodifyReturning\s*(?:<[^>()]*>)?\s*\(/, 'modifyReturning('],
  [/\.getRepository\s*\(/, 'getRepository('],
  [/@InjectRepository\b/, '@InjectRepository'],
  [/[`'"]\s*(?:SELECT\s|INSERT\s+INTO\s|UPDATE\s+\w+(?:\s+\w+)?\s+SET\s|DELETE\s+FROM\s|WITH\s+\w+\s+AS\s*\()/, 'an SQL string'],
];

/** The file's code without comments, so prose about SQL does not count. */
const code = (text) => text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/^\s*\/\/.*$/gm, '');

/** Where SQL may live: repositories, and the database infrastructure (data source, migrations, helpers). */
const mayAccessData = (rel) => rel.endsWith('.repository.ts') || rel.startsWith('database/') || rel.endsWith('.spec.ts');

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
  // Every gateway gets validation and the one-ack rule from @AckedGateway(), never a hand-made wrapper.
  if (rel !== 'common/sockets/acked-gateway.ts' && /@WebSocketGateway\(/.test(text)) {
    problems.push(`${rel}: declare gateways with @AckedGateway() (common/sockets/acked-gateway.ts)`);
  }
  if (!mayAccessData(rel)) {
    const body = code(text);
    for (const [pattern, what] of DATA_ACCESS) {
      const at = body.search(pattern);
      if (at === -1) continue;
      const line = body.slice(0, at).split('\n').length;
      problems.push(`${rel}:${line}: ${what} outside a repository (SQL and queries belong in the module's *.repository.ts)`);
    }
    // Entity classes are for repositories (and TypeOrmModule.forFeature in a module file); others may import their types.
    for (const [, names] of text.matchAll(/^import \{([^}]*)\} from '[^']*\/entities\/[\w-]+\.entity\.js';$/gm)) {
      const values = names.split(',').map((n) => n.trim()).filter((n) => n && !n.startsWith('type ') && /Entity$/.test(n));
      if (values.length && !rel.endsWith('.module.ts')) problems.push(`${rel}: uses entity ${values.join(', ')} outside a repository`);
    }
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
