/**
 * The waveform of 16-bit little-endian mono samples: `bars` levels from 0 to `max`, each the
 * loudest sample of its slice of the recording, scaled so the loudest slice reaches `max` (a
 * silent recording is all zeros). Fewer samples than bars repeat the samples they have.
 */
export function waveformOf(pcm: Buffer, bars: number, max: number): number[] {
  const samples = Math.floor(pcm.length / 2);
  const peaks = Array.from({ length: bars }, () => 0);
  if (samples === 0) return peaks;
  for (let b = 0; b < bars; b += 1) {
    const from = Math.floor((b * samples) / bars);
    const to = Math.max(from + 1, Math.floor(((b + 1) * samples) / bars));
    let peak = 0;
    for (let i = from; i < to && i < samples; i += 1) peak = Math.max(peak, Math.abs(pcm.readInt16LE(i * 2)));
    peaks[b] = peak;
  }
  const loudest = Math.max(...peaks);
  return loudest === 0 ? peaks : peaks.map((p) => Math.round((p / loudest) * max));
}
