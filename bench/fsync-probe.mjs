// Latency distribution of 8 kB write + fdatasync on the PostgreSQL data volume (WAL commits wait
// for exactly this with synchronous_commit=on).   node bench/fsync-probe.mjs [seconds] [dir]
import { closeSync, fdatasyncSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { newHistogram, recordMs, summarize } from './lib/hist.mjs';

const seconds = Number(process.argv[2] ?? 30);
const file = join(process.argv[3] ?? '/var/lib/postgresql', `bench-fsync-probe-${process.pid}`);
const fd = openSync(file, 'w');
const buf = Buffer.alloc(8192, 7);
const h = newHistogram();
const slow = [];
const end = performance.now() + seconds * 1000;
try {
  for (let i = 0; performance.now() < end; i++) {
    const t = performance.now();
    writeSync(fd, buf, 0, buf.length, (i % 128) * 8192);
    fdatasyncSync(fd);
    const ms = performance.now() - t;
    recordMs(h, ms);
    if (ms > 50) slow.push({ atS: +((t - (end - seconds * 1000)) / 1000).toFixed(1), ms: +ms.toFixed(1) });
  }
} finally {
  closeSync(fd);
  unlinkSync(file);
}
const { encoded, ...s } = summarize(h);
void encoded;
console.log(JSON.stringify({ seconds, ...s, over50ms: slow }));
