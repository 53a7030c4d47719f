import { waveformOf } from './waveform.js';

const pcm = (values: number[]): Buffer => {
  const b = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => b.writeInt16LE(v, i * 2));
  return b;
};

describe('waveformOf', () => {
  it('takes the loudest sample of each slice, scaled so the loudest slice is at the top', () => {
    expect(waveformOf(pcm([100, -200, 0, 50, 400, -800, 10, 20]), 4, 31)).toEqual([8, 2, 31, 1]);
  });

  it('is all zeros for silence and for no samples at all', () => {
    expect(waveformOf(pcm([0, 0, 0, 0]), 3, 31)).toEqual([0, 0, 0]);
    expect(waveformOf(Buffer.alloc(0), 3, 31)).toEqual([0, 0, 0]);
  });

  it('repeats samples when there are fewer than bars, and counts -32768 as the loudest', () => {
    expect(waveformOf(pcm([-32768, 16384]), 4, 31)).toEqual([31, 31, 16, 16]);
  });
});
