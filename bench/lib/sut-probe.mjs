// Preloaded into every Node SUT with `node --import`: event-loop delay and utilisation, measured
// inside the server without touching its code. The runner talks to it over the IPC channel:
// {cmd:'reset'} at the start of the measured window, {cmd:'report'} at its end.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

// BENCH_CPU_PROFILE=<file>: a V8 CPU profile of the measured window (diagnosis runs only).
const profilePath = process.env.BENCH_CPU_PROFILE;
let session = null;
async function profileStart() {
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
}
async function profileStop() {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(profilePath, JSON.stringify(profile));
  session.disconnect();
}

if (typeof process.send === 'function') {
  const RESOLUTION_MS = 10;
  const ex = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  h.enable();
  let elu = performance.eventLoopUtilization();
  process.on('message', (m) => {
    if (!m || typeof m !== 'object' || m.benchProbe !== true) return;
    if (m.cmd === 'reset') {
      if (profilePath) void profileStart();
      h.reset();
      elu = performance.eventLoopUtilization();
    } else if (m.cmd === 'report') {
      if (profilePath) void profileStop();
      const u = performance.eventLoopUtilization(elu);
      const mem = process.memoryUsage();
      process.send({
        benchProbe: true,
        // Node 24's histogram holds the time between samples (resolution included): subtract it.
        eventLoopDelayMs: { p50: ex(h.percentile(50)), p99: ex(h.percentile(99)), p999: ex(h.percentile(99.9)), max: ex(h.max), mean: ex(h.mean) },
        eventLoopUtilization: u.utilization,
        rssMB: mem.rss / 1048576,
        heapUsedMB: mem.heapUsed / 1048576,
      });
    }
  });
  process.channel?.unref();
}
