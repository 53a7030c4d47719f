// HdrHistogram helpers: values are recorded in microseconds (1 µs .. 60 s, 3 significant digits),
// summaries are reported in milliseconds.
import hdr from 'hdr-histogram-js';

const HIGHEST_US = 60_000_000;

export function newHistogram() {
  const h = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    autoResize: false,
  });
  return { h, overflow: 0 };
}

/** Records a latency given in milliseconds (fractional). Negative values are a generator bug. */
export function recordMs(hist, ms) {
  if (!Number.isFinite(ms)) throw new Error(`latency is not finite: ${ms}`);
  if (ms < -1) throw new Error(`negative latency ${ms} ms: clock or bookkeeping bug`);
  let us = Math.round(ms * 1000);
  if (us < 1) us = 1;
  if (us > HIGHEST_US) {
    hist.overflow += 1;
    us = HIGHEST_US;
  }
  hist.h.recordValue(us);
}

const round = (us) => Math.round(us) / 1000;

/** A JSON-friendly summary in milliseconds plus the encoded histogram (for merging later). */
export function summarize(hist) {
  const { h } = hist;
  if (h.totalCount === 0) return { count: 0, overflow: 0, encoded: null };
  return {
    count: h.totalCount,
    mean: round(h.mean),
    p50: round(h.getValueAtPercentile(50)),
    p90: round(h.getValueAtPercentile(90)),
    p95: round(h.getValueAtPercentile(95)),
    p99: round(h.getValueAtPercentile(99)),
    p999: round(h.getValueAtPercentile(99.9)),
    max: round(h.maxValue),
    overflow: hist.overflow,
    encoded: hdr.encodeIntoCompressedBase64(h),
  };
}
