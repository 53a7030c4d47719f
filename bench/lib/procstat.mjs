// CPU accounting from /proc (METHOD.md §3.4): utime+stime per PID, context switches,
// per-core busy time from /proc/stat. Times are returned in CPU seconds.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

/** utime+stime (s) and context switches of one process (all threads); null when it is gone. */
export function procCpu(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state): utime is field 14, stime field 15, ppid field 4.
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const vol = Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const nonvol = Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const rssKB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { cpu: (utime + stime) / CLK_TCK, user: utime / CLK_TCK, sys: stime / CLK_TCK, ctxVol: vol, ctxInvol: nonvol, rssKB };
  } catch {
    return null;
  }
}

/** Direct children of a process (PostgreSQL backends and auxiliaries of the postmaster). */
export function childrenOf(ppid) {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[1]) === ppid) out.push(Number(name));
    } catch {
      // raced with an exiting process
    }
  }
  return out;
}

/** Busy and total jiffies per core from /proc/stat (busy excludes idle and iowait). */
export function coreTimes() {
  const cores = {};
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const v = m[2].split(/\s+/).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = v;
    cores[m[1]] = { busy: (user + nice + system + irq + softirq + (steal ?? 0)) / CLK_TCK, irq: (irq + softirq) / CLK_TCK, total: (user + nice + system + idle + iowait + irq + softirq + (steal ?? 0)) / CLK_TCK };
  }
  return cores;
}

/**
 * A snapshot of a group of processes: named single PIDs plus the postmaster's whole family.
 * Deltas between two snapshots give CPU seconds per group over the interval.
 */
export function snapshot({ pids, postmaster }) {
  const at = Date.now();
  const groups = {};
  for (const [name, pid] of Object.entries(pids)) groups[name] = { [pid]: procCpu(pid) };
  if (postmaster) {
    const fam = { [postmaster]: procCpu(postmaster) };
    for (const c of childrenOf(postmaster)) fam[c] = procCpu(c);
    groups.postgres = fam;
  }
  return { at, groups, cores: coreTimes() };
}

/** CPU seconds, % of one core, and context switches per group between two snapshots. */
export function delta(a, b) {
  const seconds = (b.at - a.at) / 1000;
  const out = { seconds, groups: {}, cores: {} };
  for (const [name, fam] of Object.entries(b.groups)) {
    let cpu = 0;
    let user = 0;
    let sys = 0;
    let ctxVol = 0;
    let ctxInvol = 0;
    let rssKB = 0;
    for (const [pid, now] of Object.entries(fam)) {
      if (!now) continue;
      const before = a.groups[name]?.[pid] ?? { cpu: 0, user: 0, sys: 0, ctxVol: 0, ctxInvol: 0 };
      cpu += now.cpu - before.cpu;
      user += now.user - before.user;
      sys += now.sys - before.sys;
      ctxVol += now.ctxVol - before.ctxVol;
      ctxInvol += now.ctxInvol - before.ctxInvol;
      rssKB += now.rssKB;
    }
    out.groups[name] = { cpuSeconds: cpu, pct: (cpu / seconds) * 100, userPct: (user / seconds) * 100, sysPct: (sys / seconds) * 100, ctxVolPerS: ctxVol / seconds, ctxInvolPerS: ctxInvol / seconds, rssMB: rssKB / 1024 };
  }
  for (const [core, t] of Object.entries(b.cores)) {
    const p = a.cores[core];
    const span = t.total - p.total;
    out.cores[core] = { busyPct: ((t.busy - p.busy) / span) * 100, irqPct: ((t.irq - p.irq) / span) * 100 };
  }
  return out;
}
