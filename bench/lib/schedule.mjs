// The generator's plan, computed before any socket opens: when each message is due (open-loop
// Poisson) and who sends it, and the filler texts. Seeded, so runs repeat.

// Message texts: 60-200 bytes of UTF-8, mostly ASCII with some Cyrillic (2-byte) letters.
const FILLER = 'lorem ipsum dolor sit amet consectetur adipiscing elit привет как дела sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ut enim ad minim veniam quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore';

/** mulberry32 */
function prng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The superposition of N independent Poisson(r) senders is Poisson(N·r)
 * with the sender drawn uniformly at random for each event.
 */
export function buildSchedule(cfg, users) {
  const N = users.length;
  const rand = prng(cfg.seed);
  const sendWindowMs = cfg.warmupMs + cfg.measureMs;
  const relTimes = [];
  const senders = [];
  for (let t = 0; ; ) {
    t += (-Math.log(1 - rand()) / cfg.rate) * 1000;
    if (t >= sendWindowMs) break;
    relTimes.push(t);
    senders.push(Math.floor(rand() * N));
  }
  // 128 precomputed fillers so that "<stamp> <filler>" is 60..200 bytes (stamp = 17 bytes + space).
  const fillers = [];
  for (let j = 0; j < 128; j++) {
    const target = 60 + Math.floor(rand() * 141) - 18;
    let f = FILLER.slice(j % 60);
    while (Buffer.byteLength(f) > target) f = f.slice(0, -1);
    fillers.push(f.trimEnd() || 'x');
  }
  return { relTimes, sender: Int32Array.from(senders), fillers };
}
