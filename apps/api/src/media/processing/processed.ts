import type { MediaKind, MediaType } from '@app/contracts';
import { DomainError } from '../../common/errors/domain-error.js';

/** One file made from an upload: `original`, `thumb`, `poster`, or a size `w640`, `w1280`, `w2560`. */
export interface Rendition {
  name: string;
  path: string;
  mime: string;
  width: number;
  height: number;
  size: number;
}

/** What the pipeline proved and made; the temp files are the caller's to store and remove. */
export interface Processed {
  kind: MediaKind;
  mime: MediaType;
  width: number;
  height: number;
  durationMs: number | null;
  placeholder: string;
  /** Voice messages: MEDIA_LIMITS.waveformBars levels; null otherwise. */
  waveform: number[] | null;
  /** `original` first. */
  files: Rendition[];
}

export interface MediaLimits {
  maxPixels: number;
  maxVideoSeconds: number;
  maxVoiceSeconds: number;
}

/** Decoder budget over all frames of an animation, as a multiple of maxPixels. */
export const ANIMATION_BUDGET = 4;
/** Largest video frame, whatever maxPixels says (4096 × 4096). */
export const VIDEO_PIXELS_MAX = 4096 * 4096;

export const tooLarge = (message: string): DomainError => new DomainError('PAYLOAD_TOO_LARGE', message);

/** 2500, 50, 4, 0.48 megapixels: two significant digits below 10. */
export function megapixels(n: number): string {
  const mp = n / 1_000_000;
  return `${mp >= 10 ? Math.round(mp) : Number(mp.toPrecision(2))} megapixels`;
}
