// The machine around a bench run: scheduling priority (autogroup nice), CPU affinity of
// PostgreSQL, other tenants' CPU, and the preconditions (open files, a free port).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { cpus } from 'node:os';
import { serverInfo } from './db.mjs';
import { childrenOf, delta, snapshot } from './procstat.mjs';

// The machine is shared (other people build and test on it) and the kernel has autogroup
// scheduling on, so per-process nice does not work across sessions: a run raises the *autogroup*
// priority of its session (runner, SUT, generator) and of PostgreSQL's, so that other tenants'
// jobs get only what it leaves idle, and puts PostgreSQL's back afterwards.
export function autogroupNice(pid) {
  const m = /nice\s+(-?\d+)/.exec(readFileSync(`/proc/${pid}/autogroup`, 'utf8'));
  return m ? Number(m[1]) : 0;
}
export function setAutogroupNice(pid, nice) {
  writeFileSync(`/proc/${pid}/autogroup`, String(nice));
  if (autogroupNice(pid) !== nice) throw new Error(`could not set the autogroup nice of ${pid} to ${nice}`);
}

export function fdLimit() {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  return Number(line.split(/\s+/)[3]);
}

export const portBusy = (p) =>
  new Promise((res) => {
    const s = connect(p, '127.0.0.1');
    s.once('connect', () => (s.destroy(), res(true)));
    s.once('error', () => res(false));
  });

function affinity(pid) {
  return execFileSync('taskset', ['-c', '-p', String(pid)]).toString().trim().split(':').pop().trim();
}

/**
 * PostgreSQL runs as the system service: `pin` moves the postmaster and every child to core 0
 * for the run (new backends inherit the postmaster's mask) at priority `nice`; `unpin` gives
 * the original masks and priority back.
 */
export function postgresPinner(nice, log) {
  const pinned = new Map();
  let ownNice = null;
  return {
    get active() {
      return pinned.size > 0 || ownNice !== null;
    },
    pin(postmaster, childrenOfPm) {
      if (ownNice === null) {
        ownNice = autogroupNice(postmaster);
        setAutogroupNice(postmaster, nice);
      }
      for (const pid of [postmaster, ...childrenOfPm]) {
        try {
          if (!pinned.has(pid)) pinned.set(pid, affinity(pid));
          execFileSync('taskset', ['-a', '-c', '-p', '0', String(pid)], { stdio: 'ignore' });
        } catch (e) {
          log(`could not pin postgres pid ${pid}: ${e.message}`);
        }
      }
    },
    unpin(postmaster, childrenOf) {
      const original = pinned.get(postmaster) ?? '0-1';
      for (const pid of new Set([postmaster, ...childrenOf(postmaster)])) {
        try {
          execFileSync('taskset', ['-a', '-c', '-p', pinned.get(pid) ?? original, String(pid)], { stdio: 'ignore' });
        } catch {
          // exited
        }
      }
      pinned.clear();
      if (ownNice !== null) {
        setAutogroupNice(postmaster, ownNice);
        ownNice = null;
      }
    },
  };
}

// /proc/stat sees everything. "Foreign" CPU = busy time of both cores minus the CPU of our own
// processes. A run waits until the machine is quiet before it starts, and the report carries the
// foreign CPU of the window. What counts is core 0 (the SUT's core): its busy time minus the SUT,
// PostgreSQL and the kernel's irq/softirq time (loopback networking). Core 1's foreign load shows
// in the generator checks.
export const FOREIGN_MAX_PCT = 10;
export function foreignPct(d) {
  const ours0 = (d.groups.sut?.pct ?? 0) + (d.groups.postgres?.pct ?? 0);
  return d.cores['0'].busyPct - d.cores['0'].irqPct - ours0;
}
export function foreignCore1Pct(d) {
  const ours1 = (d.groups.generator?.pct ?? 0) + (d.groups.runner?.pct ?? 0) + (d.groups.push?.pct ?? 0);
  return d.cores['1'].busyPct - d.cores['1'].irqPct - ours1;
}

/** Waits (at most `maxS`) until other processes have used ≤ FOREIGN_MAX_PCT for 5 seconds in a row. */
export async function waitQuiet(pids, pm, maxS, log) {
  const until = Date.now() + maxS * 1000;
  let quietFor = 0;
  let prev = snapshot({ pids, postmaster: pm });
  let waited = false;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = snapshot({ pids, postmaster: pm });
    const d = delta(prev, now);
    const f = foreignPct(d) + foreignCore1Pct(d);
    prev = now;
    quietFor = f <= FOREIGN_MAX_PCT ? quietFor + 1 : 0;
    if (quietFor >= 5) {
      if (waited) log('the machine is quiet again');
      return;
    }
    if (!waited && f > FOREIGN_MAX_PCT) {
      log(`other processes use ${f.toFixed(0)}% CPU: waiting for 5 quiet seconds (max ${maxS} s)`);
      waited = true;
    }
  }
  log(`WARNING: the machine never became quiet; measuring anyway (the result records the foreign CPU)`);
}

/** Every PostgreSQL process back on all cores at the default priority (after a killed run). */
export async function restorePostgres() {
  const { postmaster } = await serverInfo();
  const all = `0-${cpus().length - 1}`;
  for (const pid of [postmaster, ...childrenOf(postmaster)]) execFileSync('taskset', ['-a', '-c', '-p', all, String(pid)], { stdio: 'ignore' });
  writeFileSync(`/proc/${postmaster}/autogroup`, '0');
  console.log(`postgres ${postmaster}: affinity ${all}, ${readFileSync(`/proc/${postmaster}/autogroup`, 'utf8').trim()}`);
}

/** Samples CPU every second (per group, per core, foreign) until `stop()`, which returns the timeline. */
export function sampleCpu(snap) {
  const timeline = [];
  let last = snap();
  const timer = setInterval(() => {
    const s = snap();
    const d = delta(last, s);
    timeline.push({ at: s.at, sutPct: d.groups.sut.pct, pgPct: d.groups.postgres?.pct ?? 0, genPct: d.groups.generator.pct, core0: d.cores['0']?.busyPct, core1: d.cores['1']?.busyPct, irq0: d.cores['0']?.irqPct, irq1: d.cores['1']?.irqPct, foreign0: foreignPct(d), foreign1: foreignCore1Pct(d) });
    last = s;
  }, 1000);
  return {
    stop() {
      clearInterval(timer);
      return timeline;
    },
  };
}
