// Renders result files as the Markdown tables used in docs/benchmarks.md.
//   node bench/report.mjs bench/results/<run>.json [...]      (default: every result in bench/results)
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dir = join(here, 'results');
const files = process.argv.length > 2 ? process.argv.slice(2) : readdirSync(dir).filter((f) => /^\d.*_(C|Cplus|O)_P\d_x[\d.]+.*\.json$/.test(f) && !f.includes('.generator')).map((f) => join(dir, f));
const runs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')));

const n = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? '–' : x >= 10000 ? Math.round(x).toLocaleString('en-US') : x.toFixed(d));
const lat = (h) => (h.count ? `${n(h.p50)} / ${n(h.p95)} / ${n(h.p99)} / ${n(h.p999)} / ${n(h.max)}` : '–');
const id = (r) => `${r.contender} ${r.profile}${r.rateFactor !== 1 ? ` ×${r.rateFactor}` : ''}`;

const rows = [];
rows.push('| run | offered msg/s | acks/s | deliveries/s | delivery ms p50 / p95 / p99 / p99.9 / max | ack ms p50 / p95 / p99 / p99.9 / max | errors + timeouts | lost / dup | SLO |');
rows.push('|---|---|---|---|---|---|---|---|---|');
for (const r of runs) {
  const g = r.generator;
  const c = g.correctness;
  rows.push(
    `| ${id(r)} | ${n(g.throughput.offeredPerS, 0)} | ${n(g.throughput.acksPerS, 0)} | ${n(g.throughput.deliveriesPerS, 0)} | ${lat(g.latency.delivery)} | ${lat(g.latency.ack)} | ${c.errors + c.timeouts} (${n(r.errorRate * 100, 3)} %) | ${r.lostTotal} / ${r.dupTotal} | ${r.verdict.sustainable ? 'met' : `missed (${Object.entries(r.verdict).filter(([k, v]) => k !== 'sustainable' && !v).map(([k]) => k).join(', ')})`} |`,
  );
}
rows.push('');
rows.push('| run | SUT CPU % (node + pg) | core 0 busy % (irq) | SUT event-loop delay ms p50 / p99 / max | SUT ELU | SUT RSS MB | gen CPU % | gen EL delay ms p99 | foreign CPU % core 0 / 1 | DB rows/s (window) | DB acked-missing / stored-unacked / dup | valid |');
rows.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of runs) {
  const g = r.generator;
  const p = r.sutProbe;
  const node = r.cpu.groups.sut.pct;
  const pg = r.cpu.groups.postgres?.pct;
  rows.push(
    `| ${id(r)} | ${n(r.sutCpuPct)} (${n(node)} + ${pg === undefined ? '–' : n(pg)}) | ${n(r.cpu.cores['0'].busyPct)} (${n(r.cpu.cores['0'].irqPct)}) | ${n(p.eventLoopDelayMs.p50, 2)} / ${n(p.eventLoopDelayMs.p99)} / ${n(p.eventLoopDelayMs.max)} | ${n(p.eventLoopUtilization, 2)} | ${n(p.rssMB, 0)} | ${n(r.cpu.groups.generator.pct)} | ${n(g.generator.eventLoopDelayMs.p99)} | ${n(r.validity.foreignCpuPct)} / ${n(r.validity.foreignCore1Pct)} | ${r.db ? n(r.db.rowsInWindowPerS, 0) : '–'} | ${r.db ? `${r.db.ackedMissing} / ${r.db.storedUnacked} / ${r.db.dupInDb}` : '–'} | ${r.validity.valid ? 'yes' : 'no'} |`,
  );
}
rows.push('');
rows.push('| run | file | sockets | probes | ramp s | connect ms p50 / p99 | send lag ms p99 | ctx switches/s node (vol / invol) | pg commits/s | SUT log warn / error |');
rows.push('|---|---|---|---|---|---|---|---|---|---|');
for (const r of runs) {
  const g = r.generator;
  const s = r.cpu.groups.sut;
  rows.push(
    `| ${id(r)} | ${r.name} | ${r.users} | ${g.config.probes} | ${n(g.rampMs / 1000)} | ${n(g.latency.connect.p50)} / ${n(g.latency.connect.p99)} | ${n(g.latency.sendLag.p99)} | ${n(s.ctxVolPerS, 0)} / ${n(s.ctxInvolPerS, 0)} | ${r.pg ? n(r.pg.commitsPerS, 0) : '–'} | ${r.sutLogLevels.warn} / ${r.sutLogLevels.error + r.sutLogLevels.fatal} |`,
  );
}
console.log(rows.join('\n'));
