// Summarises a V8 .cpuprofile: self time by package/file and the top functions.
//   node bench/profile-summary.mjs bench/results/<run>.cpuprofile [top]
import { readFileSync } from 'node:fs';

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const top = Number(process.argv[3] ?? 25);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const where = (url) => {
  if (!url) return '(native/V8)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return url;
  const a = /dist\/api\/(.*)$/.exec(url);
  return a ? a[1] : url.replace(/^file:\/\//, '');
};
const byPkg = new Map();
const byFn = new Map();
for (const [id, t] of self) {
  const n = byId.get(id);
  const f = n.callFrame;
  const pkg = f.functionName === '(garbage collector)' ? '(gc)' : f.functionName === '(idle)' ? '(idle)' : f.functionName === '(program)' ? '(program)' : where(f.url);
  byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + t);
  const key = `${f.functionName || '(anonymous)'} ${where(f.url)}:${f.lineNumber + 1}`;
  byFn.set(key, (byFn.get(key) ?? 0) + t);
}
// Inclusive: time of samples whose stack contains a frame of the package (or app file).
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map();
for (const [id, t] of self) {
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const f = byId.get(cur).callFrame;
    if (f.url) seen.add(where(f.url));
  }
  for (const k of seen) incl.set(k, (incl.get(k) ?? 0) + t);
}
const pct = (t) => ((t / total) * 100).toFixed(1).padStart(5);
console.log(`total sampled ${(total / 1e6).toFixed(2)} s`);
console.log('\nself time by package / file:');
for (const [k, t] of [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(t)} %  ${k}`);
console.log('\ninclusive time by package / file (stack contains it):');
for (const [k, t] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(t)} %  ${k}`);
console.log('\nself time by function:');
for (const [k, t] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(t)} %  ${k}`);
