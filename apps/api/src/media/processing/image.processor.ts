import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { MEDIA_LIMITS } from '@app/contracts';
import { unsupported } from './inspect.js';
import { ANIMATION_BUDGET, megapixels, tooLarge, type MediaLimits, type Processed, type Rendition } from './processed.js';
import { EXTENSION, MIME, type Container } from './sniff.js';

type ImageContainer = Exclude<Container, 'mp4' | 'webm'>;

export interface ImageProbe {
  container: ImageContainer;
  /** Display size (EXIF orientation applied). */
  width: number;
  height: number;
  frames: number;
}

export interface Crop {
  name: string;
  width: number;
  height: number;
}

const SECONDS = 60;

/** Re-encodes into a fresh file of the same format: metadata (EXIF, GPS, XMP, comments) and any appended bytes are gone. */
function encodeSame(img: Sharp, container: ImageContainer): Sharp {
  switch (container) {
    case 'jpeg':
      return img.jpeg({ quality: 88 });
    case 'png':
      return img.png({ compressionLevel: 6 });
    case 'webp':
      return img.webp({ quality: 88 });
    case 'gif':
      return img.gif();
  }
}

/** Makes a tiny blurred WebP as a data: URL, painted while the real image loads. */
export async function placeholderOf(input: string | Buffer): Promise<string> {
  const tiny = await sharp(input, { pages: 1 }).resize(16, 16, { fit: 'inside' }).blur(0.6).webp({ quality: 40 }).toBuffer();
  return `data:image/webp;base64,${tiny.toString('base64')}`;
}

export async function renderWebp(input: string | Buffer, path: string, name: string, edge: number, opts: { animated?: boolean } = {}): Promise<Rendition> {
  const info = await sharp(input, { animated: opts.animated ?? false, limitInputPixels: false })
    .timeout({ seconds: SECONDS })
    .resize(edge, edge, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toFile(path);
  return { name, path, mime: 'image/webp', width: info.width, height: info.pageHeight ?? info.height, size: info.size };
}

/**
 * Images through sharp (libvips): the header is read first and checked against the limits before
 * anything is decoded, and every decode runs with limitInputPixels and a timeout.
 */
export class ImageProcessor {
  constructor(private readonly limits: MediaLimits) {}

  /** Header only (cheap even for a bomb): format, size, frames; refuses what is over the limits. */
  async probe(path: string, expected: ImageContainer): Promise<ImageProbe> {
    const meta = await sharp(path, { limitInputPixels: false }).metadata().catch(() => {
      throw unsupported('The image could not be decoded');
    });
    if (meta.format !== expected || !meta.width || !meta.height) throw unsupported('The image could not be decoded');
    const frames = meta.pages ?? 1;
    const area = meta.width * meta.height;
    const { maxPixels } = this.limits;
    if (area > maxPixels) throw tooLarge(`The image is ${megapixels(area)}; at most ${megapixels(maxPixels)} are accepted`);
    if (frames > MEDIA_LIMITS.framesMax) throw tooLarge(`The animation has ${frames} frames; at most ${MEDIA_LIMITS.framesMax} are accepted`);
    if (area * frames > maxPixels * ANIMATION_BUDGET) {
      throw tooLarge(`The animation is ${megapixels(area * frames)} over all frames; at most ${megapixels(maxPixels * ANIMATION_BUDGET)}`);
    }
    const size = meta.autoOrient ?? { width: meta.width, height: meta.height };
    return { container: expected, width: size.width, height: size.height, frames };
  }

  private open(path: string, probe: ImageProbe): Sharp {
    const animated = probe.frames > 1;
    const limit = animated ? this.limits.maxPixels * ANIMATION_BUDGET : this.limits.maxPixels;
    const img = sharp(path, { animated, limitInputPixels: limit }).timeout({ seconds: SECONDS });
    return animated ? img : img.rotate();
  }

  /** The original (re-encoded), WebP sizes smaller than it, a thumb and the placeholder. */
  async process(path: string, expected: ImageContainer, workDir: string): Promise<Processed> {
    const probe = await this.probe(path, expected);
    const originalPath = join(workDir, `original.${EXTENSION[expected]}`);
    const info = await encodeSame(this.open(path, probe), expected).toFile(originalPath).catch((e: unknown) => {
      if (e instanceof Error && /pixel limit/.test(e.message)) throw tooLarge('The image is too large to decode');
      throw unsupported('The image could not be decoded');
    });
    const width = info.width;
    const height = info.pageHeight ?? info.height;
    const files: Rendition[] = [{ name: 'original', path: originalPath, mime: MIME[expected], width, height, size: info.size }];
    for (const edge of MEDIA_LIMITS.sizeEdges) {
      if (edge >= Math.max(width, height)) break;
      files.push(await renderWebp(originalPath, join(workDir, `w${edge}.webp`), `w${edge}`, edge, { animated: probe.frames > 1 }));
    }
    files.push(await renderWebp(originalPath, join(workDir, 'thumb.webp'), 'thumb', MEDIA_LIMITS.thumbEdge));
    return { kind: 'image', mime: MIME[expected], width, height, durationMs: null, waveform: null, placeholder: await placeholderOf(originalPath), files };
  }

  /** Profile images: the first frame, cropped to each box around what draws attention, as WebP. */
  async crops(path: string, expected: ImageContainer, workDir: string, crops: Crop[]): Promise<Rendition[]> {
    await this.probe(path, expected);
    const out: Rendition[] = [];
    for (const crop of crops) {
      const file = join(workDir, `${crop.name}.webp`);
      const info = await sharp(path, { limitInputPixels: this.limits.maxPixels })
        .timeout({ seconds: SECONDS })
        .rotate()
        .resize(crop.width, crop.height, { fit: 'cover', position: 'attention' })
        .webp({ quality: 82 })
        .toFile(file)
        .catch(() => {
          throw unsupported('The image could not be decoded');
        });
      out.push({ name: crop.name, path: file, mime: 'image/webp', width: info.width, height: info.height, size: info.size });
    }
    return out;
  }
}
