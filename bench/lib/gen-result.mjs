// What the generator writes at the end of a run: the correctness tally over every scheduled
// message (ack state, receipts per member, echoes) and the measured window's figures.
import { summarize } from './hist.mjs';

/** Message states in `ackStatus`: 0 pending, 1 ok, 2 error ack, 3 not connected, 4 unsent. */
export function buildResult(s) {
  const { cfg, users, K, M, ackStatus, recvCount, echoCount, counters } = s;
  let ackedOk = 0;
  let errors = 0;
  let lost = 0;
  let echoMissing = 0;
  let timeouts = 0;
  for (let g = 0; g < M; g++) {
    const st = ackStatus[g];
    if (st === 0) timeouts += 1;
    if (st === 2 || st === 3) errors += 1;
    if (st !== 1) {
      if (recvCount[g] > 0) counters.deliveredUnacked += 1;
      continue;
    }
    ackedOk += 1;
    lost += K - 1 - recvCount[g];
    if (cfg.echo && echoCount[g] === 0) echoMissing += 1;
  }
  const ackedBitmap = Buffer.alloc(Math.ceil(M / 8));
  for (let g = 0; g < M; g++) if (ackStatus[g] === 1) ackedBitmap[g >> 3] |= 1 << (g & 7);
  const windowS = (s.measureEnd - s.measureStart) / 1000;
  const h = s.histograms;
  return {
    config: { contender: cfg.contender, users: users.length, roomSize: K, rate: cfg.rate, warmupMs: cfg.warmupMs, measureMs: cfg.measureMs, probes: users.filter((u) => u.probe).length },
    rampMs: s.rampMs,
    drainMs: s.drainMs,
    messages: M,
    window: { start: s.measureStart, end: s.measureEnd, seconds: windowS, sends: counters.sendsInWindow, acks: counters.acksInWindow, deliveries: counters.deliveriesInWindow },
    throughput: {
      offeredPerS: counters.sendsInWindow / windowS,
      acksPerS: counters.acksInWindow / windowS,
      deliveriesPerS: counters.deliveriesInWindow / windowS,
    },
    latency: { delivery: summarize(h.delivery), ack: summarize(h.ack), sendLag: summarize(h.sendLag), connect: summarize(h.connect) },
    correctness: {
      ackedOk,
      errors,
      timeouts,
      errorCodes: s.errorCodes,
      lost,
      dup: counters.dup,
      echoDup: counters.echoDup,
      echoMissing: cfg.echo ? echoMissing : null,
      misrouted: counters.misrouted,
      deliveredUnacked: counters.deliveredUnacked,
      orderViolations: counters.orderViolations,
      lateAcks: counters.lateAcks,
      unexpectedCloses: counters.unexpectedCloses,
    },
    generator: { cpu: s.cpuWindow, eventLoopDelayMs: s.elWindow },
    frames: { in: counters.framesIn, bytesIn: counters.bytesIn, pings: counters.pings, probeParsed: counters.probeParsed, otherEvents: s.otherEvents },
    timeline: s.timeline,
    slowAcks: s.slowAcks,
    ackedBitmap: ackedBitmap.toString('base64'),
  };
}
