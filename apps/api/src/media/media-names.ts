/** File name extensions of the types the pipeline stores. */
export const EXTENSION_OF_MIME: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'audio/ogg': 'ogg',
};

/** Storage key of one rendition of a chat media file. */
export const mediaKey = (id: string, variant: string, mime: string): string => `media/${id}/${variant}.${EXTENSION_OF_MIME[mime] ?? 'bin'}`;

/**
 * Characters that never belong in a file name shown to people: C0/C1 controls, line and paragraph
 * separators, lone surrogates, and format characters, among them the bidi embeddings, overrides and
 * isolates (U+202A–U+202E, U+2066–U+2069) and marks (U+200E, U+200F, U+061C) that make
 * "photo‮gpj.exe" read as "photoexe.jpg". ZWJ and ZWNJ stay: emoji sequences and several scripts need them.
 */
const INVISIBLE = /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}]|(?![\u200c\u200d])\p{Cf}/gu;

/** A file name safe to store and to echo in Content-Disposition: no path, no invisible, quote or `;` characters, at most 100 characters. */
export function safeFileName(raw: string | undefined | null, fallback = 'file'): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base.normalize('NFC').replace(INVISIBLE, '').replace(/["\\;]/g, '').trim();
  return Array.from(cleaned).slice(0, 100).join('').trim() || fallback;
}
