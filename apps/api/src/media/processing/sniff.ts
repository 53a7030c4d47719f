import type { MediaType } from '@app/contracts';

/** The containers we accept, named as sharp / ffprobe name them. */
export type Container = 'jpeg' | 'png' | 'gif' | 'webp' | 'mp4' | 'webm';

export const MIME: Record<Container, MediaType> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  mp4: 'video/mp4',
  webm: 'video/webm',
};

export const EXTENSION: Record<Container, string> = { jpeg: 'jpg', png: 'png', gif: 'gif', webp: 'webp', mp4: 'mp4', webm: 'webm' };

export const isVideo = (c: Container): c is 'mp4' | 'webm' => c === 'mp4' || c === 'webm';

/** ISO base media brands of MP4 proper: QuickTime ('qt  '), HEIF/HEIC and AVIF images are not MP4. */
const MP4_BRANDS = new Set(['isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'dash', 'M4V ', 'M4VH', 'M4VP', 'f4v ', 'mmp4', 'MSNV']);

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_IEND = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/** How many leading bytes `detect` needs. */
export const HEAD_BYTES = 64;

function ascii(buf: Buffer, from: number, to: number): string {
  return buf.subarray(from, to).toString('latin1');
}

/** EBML header of a Matroska file whose DocType is "webm" (Matroska proper is refused). */
function isWebm(head: Buffer): boolean {
  if (head.readUInt32BE(0) !== 0x1a45dfa3) return false;
  const at = head.indexOf(Buffer.from([0x42, 0x82]));
  if (at < 0 || at + 3 > head.length) return false;
  const size = head[at + 2] & 0x7f;
  return ascii(head, at + 3, at + 3 + size) === 'webm';
}

/** The container named by the file's first bytes (its magic number), or null. The name and declared type are never consulted. */
export function detect(head: Buffer): Container | null {
  if (head.length < 12) return null;
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  const six = ascii(head, 0, 6);
  if (six === 'GIF87a' || six === 'GIF89a') return 'gif';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  if (ascii(head, 4, 8) === 'ftyp' && MP4_BRANDS.has(ascii(head, 8, 12))) return 'mp4';
  if (isWebm(head)) return 'webm';
  return null;
}

/**
 * Why a file is a polyglot (another file riding along with a valid image), or null when clean.
 * Formats with an exact end must end there: PNG at IEND, GIF at its trailer, WebP at the RIFF size.
 * A GIF that opens a JavaScript comment right after its signature (`GIF89a/*`, `GIF89a//`) is the
 * classic GIF/JS polyglot and is refused whatever follows. JPEG may carry trailers (phones append
 * data after EOI), which re-encoding drops. `tail` is the file's last bytes (at least 16).
 */
export function structureProblem(container: Container, head: Buffer, tail: Buffer, size: number): string | null {
  switch (container) {
    case 'png':
      return tail.subarray(tail.length - PNG_IEND.length).equals(PNG_IEND) ? null : 'data after the PNG end';
    case 'gif': {
      const js = ascii(head, 6, 8);
      if (js === '/*' || js === '//') return 'a GIF that is also a script';
      let end = tail.length - 1;
      while (end > 0 && tail[end] === 0) end -= 1;
      return tail[end] === 0x3b ? null : 'data after the GIF trailer';
    }
    case 'webp': {
      const riff = head.readUInt32LE(4) + 8;
      return riff === size || riff + 1 === size ? null : 'data after the WebP end';
    }
    default:
      return null;
  }
}

/** Markup a browser would run if it ever took the bytes for a document. */
const MARKUP = ['<script', '<html', '<body', '<iframe', '<svg', '<!doctype', '<?php', '<object', '<embed', '<meta', 'javascript:'];
const FIRST = new Set(MARKUP.map((m) => m.charCodeAt(0)));
const LONGEST = Math.max(...MARKUP.map((m) => m.length));

function matchesAt(buf: Buffer, at: number, word: string): boolean {
  if (at + word.length > buf.length) return false;
  for (let i = 0; i < word.length; i += 1) {
    let b = buf[at + i];
    if (b >= 0x41 && b <= 0x5a) b += 0x20;
    if (b !== word.charCodeAt(i)) return false;
  }
  // `<svg` and friends must end as a tag name does, so binary noise rarely matches.
  if (word.startsWith('<') && !word.startsWith('<!') && !word.startsWith('<?')) {
    const next = buf[at + word.length];
    return next === undefined || next === 0x3e || next === 0x2f || next === 0x20 || next === 0x09 || next === 0x0a || next === 0x0d;
  }
  return true;
}

/** The first markup word found in `buf` (case-insensitive), or null. */
export function findMarkup(buf: Buffer): string | null {
  for (let i = 0; i < buf.length; i += 1) {
    let b = buf[i];
    if (b >= 0x41 && b <= 0x5a) b += 0x20;
    if (!FIRST.has(b)) continue;
    for (const word of MARKUP) if (matchesAt(buf, i, word)) return word;
  }
  return null;
}

/** Bytes at each end of a file that are searched for markup (where headers, comments and appended payloads sit). */
export const SCAN_BYTES = 64 * 1024;
export { LONGEST as MARKUP_MAX_LENGTH };
