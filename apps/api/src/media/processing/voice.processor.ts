import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MEDIA_LIMITS } from '@app/contracts';
import { unsupported } from './inspect.js';
import { ProcessFailed, run, runBytes } from './ffmpeg.js';
import { tooLarge, type MediaLimits, type Processed } from './processed.js';
import { findMarkup, SCAN_BYTES } from './sniff.js';
import { waveformOf } from './waveform.js';

/** What browsers record (Opus or Vorbis in WebM or Ogg; AAC in MP4 on Safari) and the usual sound files. */
const AUDIO_CODECS = new Set(['opus', 'vorbis', 'aac', 'mp3', 'flac']);
/** ffprobe's format names for the containers `detectVoice` lets through. */
const FORMATS = new Set(['ogg', 'matroska', 'webm', 'mov', 'mp4', 'm4a']);
/** Samples decoded for the waveform at most (16-bit mono: 1.5 MiB of output). */
const WAVEFORM_SAMPLES = 768 * 1024;

const refused = (): Error => unsupported('Record the voice message as Opus, Vorbis or AAC in WebM, Ogg or MP4');

interface ProbeOutput {
  format?: { format_name?: string; duration?: string };
  streams?: { codec_type?: string; codec_name?: string; duration?: string; disposition?: { attached_pic?: number } }[];
}

/** The container a recording's first bytes name: Ogg, WebM/Matroska (EBML) or ISO media (MP4, M4A); else null. */
export function detectVoice(head: Buffer): 'ogg' | 'webm' | 'mp4' | null {
  if (head.length < 12) return null;
  if (head.subarray(0, 4).toString('latin1') === 'OggS') return 'ogg';
  if (head.readUInt32BE(0) === 0x1a45dfa3) return 'webm';
  if (head.subarray(4, 8).toString('latin1') === 'ftyp') return 'mp4';
  return null;
}

/**
 * Voice messages through ffprobe / ffmpeg: a recording with sound and no picture, in a container
 * browsers record, at most `maxVoiceSeconds` long, is stored as Opus in Ogg without metadata
 * (stream copy when it is Opus already, else encoded at 48 kbit/s mono), then decoded once more
 * at a low rate for its waveform.
 */
export class VoiceProcessor {
  constructor(
    private readonly ffmpeg: string,
    private readonly ffprobe: string,
    private readonly limits: MediaLimits,
  ) {}

  /** The first gate, before any decoder runs: a known container, and no markup at either end. */
  async inspect(path: string): Promise<void> {
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      const length = Math.min(size, SCAN_BYTES);
      const head = Buffer.alloc(length);
      const tail = Buffer.alloc(length);
      await file.read(head, 0, length, 0);
      await file.read(tail, 0, length, size - length);
      if (!detectVoice(head)) throw refused();
      if (findMarkup(head) ?? findMarkup(tail)) throw unsupported('The file carries markup or script: refused as a polyglot');
    } finally {
      await file.close();
    }
  }

  async process(path: string, workDir: string, signal: AbortSignal): Promise<Processed> {
    const input = await this.probe(path, signal);
    const original = join(workDir, 'original.ogg');
    const codec = input.codec === 'opus' ? ['-c:a', 'copy'] : ['-c:a', 'libopus', '-b:a', '48k', '-ac', '1'];
    // Never more than one second past the limit is written, whatever the container claims.
    const upTo = ['-t', String(this.limits.maxVoiceSeconds + 1)];
    await this.ffmpegOrRefuse(['-nostdin', '-v', 'error', '-y', '-i', path, ...upTo, '-map', '0:a:0', '-vn', '-sn', '-dn', ...codec,
      '-map_metadata', '-1', '-map_chapters', '-1', '-fflags', '+bitexact', '-f', 'ogg', original], signal);
    const stored = await this.probe(original, signal);
    if (stored.durationMs === null) throw unsupported('The voice message has no duration');
    this.checkDuration(stored.durationMs);
    const rate = Math.max(100, Math.min(8000, Math.floor(WAVEFORM_SAMPLES / Math.max(1, stored.durationMs / 1000))));
    let pcm: Buffer;
    try {
      pcm = await runBytes(this.ffmpeg, ['-nostdin', '-v', 'error', '-i', original, '-ac', '1', '-ar', String(rate), '-f', 's16le', '-c:a', 'pcm_s16le', '-'], signal);
    } catch (e) {
      if (e instanceof ProcessFailed && !signal.aborted) throw unsupported('The voice message could not be decoded');
      throw e;
    }
    const size = (await stat(original)).size;
    return {
      kind: 'voice',
      mime: 'audio/ogg',
      width: 0,
      height: 0,
      durationMs: stored.durationMs,
      waveform: waveformOf(pcm, MEDIA_LIMITS.waveformBars, MEDIA_LIMITS.waveformMax),
      placeholder: '',
      files: [{ name: 'original', path: original, mime: 'audio/ogg', width: 0, height: 0, size }],
    };
  }

  private async probe(path: string, signal: AbortSignal): Promise<{ codec: string; durationMs: number | null }> {
    let out: ProbeOutput;
    try {
      out = JSON.parse(await run(this.ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path], signal)) as ProbeOutput;
    } catch (e) {
      if (signal.aborted) throw e;
      throw refused();
    }
    if (!out.format?.format_name?.split(',').some((f) => FORMATS.has(f))) throw refused();
    const streams = out.streams ?? [];
    if (streams.some((s) => s.codec_type === 'video' && !s.disposition?.attached_pic)) throw unsupported('A voice message has sound only: send a video as a video');
    const audio = streams.find((s) => s.codec_type === 'audio');
    if (!audio || !AUDIO_CODECS.has(audio.codec_name ?? '')) throw refused();
    const seconds = Number(out.format.duration ?? audio.duration);
    const durationMs = Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : null;
    if (durationMs !== null) this.checkDuration(durationMs);
    return { codec: audio.codec_name ?? '', durationMs };
  }

  private checkDuration(durationMs: number): void {
    const max = this.limits.maxVoiceSeconds;
    if (durationMs > max * 1000) throw tooLarge(`The voice message is ${Math.ceil(durationMs / 1000)} s long; at most ${max} s are accepted`);
  }

  private async ffmpegOrRefuse(args: string[], signal: AbortSignal): Promise<void> {
    try {
      await run(this.ffmpeg, args, signal);
    } catch (e) {
      if (e instanceof ProcessFailed && !signal.aborted) throw unsupported('The voice message could not be decoded');
      throw e;
    }
  }
}
