// A run's verdict (METHOD.md: the SLO, and whether the measurement itself is valid) and its summary lines.
import { FOREIGN_MAX_PCT, foreignCore1Pct, foreignPct } from './host.mjs';

export const SLO = { deliveryP99Ms: 250, errorRate: 0.00025, sutCpuPct: 85 };
const VALID = { generatorCpuPct: 70, generatorElP99Ms: 10 };

/** `g`: the generator's report; `cpu`: the measured window's CPU delta; `db`: the persistence check (or null). */
export function judge(g, cpu, db, sutCpuPct) {
  const foreignCpuPct = foreignPct(cpu);
  const c = g.correctness;
  const errorRate = (c.errors + c.timeouts) / Math.max(1, g.messages);
  const lostTotal = c.lost + (c.echoMissing ?? 0) + (db ? db.ackedMissing : 0);
  const dupTotal = c.dup + c.echoDup + (db ? db.dupInDb : 0);
  const verdict = {
    deliveryP99: g.latency.delivery.p99 <= SLO.deliveryP99Ms,
    noLossNoDup: lostTotal === 0 && dupTotal === 0 && c.misrouted === 0,
    errors: errorRate <= SLO.errorRate,
    sutCpu: sutCpuPct <= SLO.sutCpuPct,
  };
  verdict.sustainable = Object.values(verdict).every(Boolean);
  const validity = {
    generatorCpuPct: cpu.groups.generator.pct,
    generatorElP99Ms: g.generator.eventLoopDelayMs.p99,
    foreignCpuPct,
    foreignCore1Pct: foreignCore1Pct(cpu),
    valid: cpu.groups.generator.pct <= VALID.generatorCpuPct && g.generator.eventLoopDelayMs.p99 <= VALID.generatorElP99Ms && foreignCpuPct <= FOREIGN_MAX_PCT,
  };
  return { errorRate, lostTotal, dupTotal, verdict, validity };
}

/** The lines a run prints: throughput, latencies, correctness, CPU, verdict (`r` is the result written to bench/results). */
export function summaryText(r) {
  const { generator: g, cpu, db, push, sutCpuPct, sutProbe, lostTotal, dupTotal, verdict, validity } = r;
  const c = g.correctness;
  const L = g.latency;
  const f = (x) => (x === undefined ? '-' : x.toFixed(1));
  const pushLine = push
    ? [`  push     ms p50 ${f(push.latency.p50)} p95 ${f(push.latency.p95)} p99 ${f(push.latency.p99)} max ${f(push.latency.max)} (delivered ${push.delivered}/${push.expected} in the window, missing ${push.missing}; run ${push.run.delivered}/${push.run.expected} after ${(push.run.waitedMs / 1000).toFixed(1)} s; dup ${push.dup} misrouted ${push.misrouted} unknown ${push.unknown} errors ${push.errors.length})`]
    : [];
  return [
    `${r.contender} ${r.profile} x${r.rateFactor}: offered ${g.throughput.offeredPerS.toFixed(0)} msg/s, acks ${g.throughput.acksPerS.toFixed(0)}/s, deliveries ${g.throughput.deliveriesPerS.toFixed(0)}/s`,
    `  delivery ms p50 ${f(L.delivery.p50)} p95 ${f(L.delivery.p95)} p99 ${f(L.delivery.p99)} p99.9 ${f(L.delivery.p999)} max ${f(L.delivery.max)} (n=${L.delivery.count})`,
    `  ack      ms p50 ${f(L.ack.p50)} p95 ${f(L.ack.p95)} p99 ${f(L.ack.p99)} p99.9 ${f(L.ack.p999)} max ${f(L.ack.max)} (n=${L.ack.count})`,
    ...pushLine,
    `  errors ${c.errors} timeouts ${c.timeouts} ${JSON.stringify(c.errorCodes)} lost ${lostTotal} dup ${dupTotal} misrouted ${c.misrouted} closes ${c.unexpectedCloses}${db ? ` db: rows ${db.rows} ackedMissing ${db.ackedMissing} storedUnacked ${db.storedUnacked}` : ''}`,
    `  CPU: SUT ${sutCpuPct.toFixed(1)}% (node ${cpu.groups.sut.pct.toFixed(1)}%, pg ${(cpu.groups.postgres?.pct ?? 0).toFixed(1)}%), core0 ${cpu.cores['0'].busyPct.toFixed(1)}%, generator ${cpu.groups.generator.pct.toFixed(1)}% (EL p99 ${g.generator.eventLoopDelayMs.p99.toFixed(1)} ms), SUT EL p99 ${sutProbe.eventLoopDelayMs.p99.toFixed(1)} ms`,
    `  foreign CPU (other tenants) core0 ${validity.foreignCpuPct.toFixed(1)}% core1 ${validity.foreignCore1Pct.toFixed(1)}%, irq/softirq core0 ${cpu.cores['0'].irqPct.toFixed(1)}%; sustainable: ${verdict.sustainable} ${JSON.stringify(verdict)}; valid: ${validity.valid}`,
  ].join('\n');
}
