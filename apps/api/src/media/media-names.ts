/** File name extensions of the types the pipeline stores. */
export const EXTENSION_OF_MIME: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
};

/** Storage key of one rendition of a chat media file. */
export const mediaKey = (id: string, variant: string, mime: string): string => `media/${id}/${variant}.${EXTENSION_OF_MIME[mime] ?? 'bin'}`;
