import { stat } from 'node:fs/promises';
import sharp from 'sharp';
import { join } from 'node:path';
import { unsupported } from './inspect.js';
import { placeholderOf, renderWebp } from './image.processor.js';
import { ProcessFailed, run } from './ffmpeg.js';
import { megapixels, tooLarge, VIDEO_PIXELS_MAX, type MediaLimits, type Processed } from './processed.js';
import { MIME } from './sniff.js';

type VideoContainer = 'mp4' | 'webm';

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  duration?: string;
  disposition?: { attached_pic?: number };
}

interface ProbeOutput {
  format?: { format_name?: string; duration?: string };
  streams?: ProbeStream[];
}

export interface VideoProbe {
  width: number;
  height: number;
  /** Null when the container does not say (e.g. a WebM from MediaRecorder, before remuxing). */
  durationMs: number | null;
}

/** Codecs browsers play, per container; anything else is refused rather than transcoded. */
const CODECS: Record<VideoContainer, { video: string[]; audio: string[]; format: string }> = {
  mp4: { video: ['h264', 'hevc', 'av1'], audio: ['aac', 'mp3', 'opus'], format: 'mp4' },
  webm: { video: ['vp8', 'vp9', 'av1'], audio: ['opus', 'vorbis'], format: 'webm' },
};

/**
 * Videos through ffprobe / ffmpeg (child processes, killed on timeout): probe the container and
 * codecs, check size and length, remux without metadata (`-map_metadata -1 -c copy`, so GPS
 * location atoms, titles and chapters are dropped; nothing is re-encoded), then decode one poster
 * frame — only after the frame size was checked.
 */
export class VideoProcessor {
  constructor(
    private readonly ffmpeg: string,
    private readonly ffprobe: string,
    private readonly limits: MediaLimits,
  ) {}

  async probe(path: string, expected: VideoContainer, signal: AbortSignal): Promise<VideoProbe> {
    let out: ProbeOutput;
    try {
      out = JSON.parse(await run(this.ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path], signal)) as ProbeOutput;
    } catch (e) {
      if (signal.aborted) throw e;
      throw unsupported('The video could not be read');
    }
    const allowed = CODECS[expected];
    if (!out.format?.format_name?.split(',').includes(allowed.format)) throw unsupported('The video could not be read');
    const streams = out.streams ?? [];
    const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
    if (!video?.width || !video.height || !allowed.video.includes(video.codec_name ?? '')) {
      throw unsupported(`Upload ${expected === 'mp4' ? 'H.264, HEVC or AV1 in MP4' : 'VP8, VP9 or AV1 in WebM'}`);
    }
    const audio = streams.find((s) => s.codec_type === 'audio');
    if (audio && !allowed.audio.includes(audio.codec_name ?? '')) throw unsupported(`This ${expected.toUpperCase()} has an unsupported sound track`);
    const area = video.width * video.height;
    const maxArea = Math.min(this.limits.maxPixels, VIDEO_PIXELS_MAX);
    if (area > maxArea) throw tooLarge(`The video frame is ${megapixels(area)}; at most ${megapixels(maxArea)} are accepted`);
    const seconds = Number(out.format.duration ?? video.duration);
    const durationMs = Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : null;
    this.checkDuration(durationMs);
    return { width: video.width, height: video.height, durationMs };
  }

  private checkDuration(durationMs: number | null): void {
    const max = this.limits.maxVideoSeconds;
    if (durationMs !== null && durationMs > max * 1000) throw tooLarge(`The video is ${Math.ceil(durationMs / 1000)} s long; at most ${max} s are accepted`);
  }

  async process(path: string, expected: VideoContainer, workDir: string, signal: AbortSignal): Promise<Processed> {
    const probe = await this.probe(path, expected, signal);
    const original = join(workDir, `original.${expected}`);
    await this.remux(path, original, expected, signal);
    const remuxed = await this.probe(original, expected, signal);
    if (remuxed.durationMs === null) throw unsupported('The video has no duration');
    const posterPng = join(workDir, 'frame.png');
    await this.frame(original, posterPng, Math.min(1, remuxed.durationMs / 3000), signal);
    const poster = await renderWebp(posterPng, join(workDir, 'poster.webp'), 'poster', 1280);
    const thumb = await renderWebp(posterPng, join(workDir, 'thumb.webp'), 'thumb', 320);
    // ffmpeg decodes the frame upright (display matrix applied), so the frame has the display size.
    const { width = probe.width, height = probe.height } = await sharp(posterPng).metadata();
    const size = (await stat(original)).size;
    return {
      kind: 'video',
      mime: MIME[expected],
      width,
      height,
      durationMs: remuxed.durationMs,
      waveform: null,
      placeholder: await placeholderOf(posterPng),
      files: [{ name: 'original', path: original, mime: MIME[expected], width, height, size }, poster, thumb],
    };
  }

  /** Stream copy of the first video and audio track; the display matrix (rotation) is stream side data, not metadata, so it survives. */
  private async remux(input: string, output: string, container: VideoContainer, signal: AbortSignal): Promise<void> {
    const args = ['-nostdin', '-v', 'error', '-y', '-i', input, '-map', '0:v:0', '-map', '0:a:0?', '-c', 'copy',
      '-map_metadata', '-1', '-map_chapters', '-1', '-sn', '-dn', '-fflags', '+bitexact'];
    args.push(...(container === 'mp4' ? ['-movflags', '+faststart', '-f', 'mp4'] : ['-f', 'webm']), output);
    await this.ffmpegOrRefuse(args, signal);
  }

  private async frame(input: string, output: string, atSeconds: number, signal: AbortSignal): Promise<void> {
    const args = (at: number): string[] => ['-nostdin', '-v', 'error', '-y', '-ss', at.toFixed(3), '-i', input, '-frames:v', '1', '-an', '-f', 'image2', '-c:v', 'png', output];
    await this.ffmpegOrRefuse(args(atSeconds), signal);
    if ((await stat(output).catch(() => null))?.size) return;
    await this.ffmpegOrRefuse(args(0), signal);
    if (!(await stat(output).catch(() => null))?.size) throw unsupported('The video has no picture');
  }

  private async ffmpegOrRefuse(args: string[], signal: AbortSignal): Promise<void> {
    try {
      await run(this.ffmpeg, args, signal);
    } catch (e) {
      if (e instanceof ProcessFailed && !signal.aborted) throw unsupported('The video could not be decoded');
      throw e;
    }
  }
}
