/**
 * Photos and videos are decoded and re-encoded; a `voice` message is sound only, stored as Opus in
 * Ogg; a `file` (a document, an archive, anything) is kept as uploaded and only ever downloaded.
 */
export const MEDIA_KINDS = ['image', 'video', 'voice', 'file'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** The type every `file` is stored and served as: its bytes as uploaded, always as a download (never rendered by the site). */
export const FILE_MIME = 'application/octet-stream';

/** What a decoder must prove a file to be; nothing else is stored (no SVG, HTML, HEIC, QuickTime…). */
export const MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'video/mp4', 'video/webm', 'audio/ogg'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** Fixed parts of the pipeline; the configurable limits come from `GET /api/media/limits`. */
export const MEDIA_LIMITS = {
  /** Longest edge of `urls.thumb` (WebP). */
  thumbEdge: 320,
  /** Longest edges of `urls.sizes` (WebP); only those smaller than the original are made. */
  sizeEdges: [640, 1280, 2560],
  /** Most frames an animated image may have. */
  framesMax: 1000,
  /** The query parameter that carries a media key (see MediaKeyView). */
  keyParam: 'k',
  /** Bars of a voice message's waveform, each a level from 0 to `waveformMax`. */
  waveformBars: 64,
  waveformMax: 31,
} as const;

export interface MediaSizeView {
  width: number;
  height: number;
  url: string;
}

/**
 * Site-relative, viewer-independent paths (`/api/media/:id/:variant`). They are stored in the
 * chat's event log and broadcast to a whole room, so they carry no credentials: send the access
 * token as `Authorization: Bearer`, or, where a browser cannot (`<img src>`, `<video src>`),
 * append `?k=<MediaKeyView.key>`.
 */
export interface MediaUrls {
  /** The file as stored: images re-encoded in their own format, videos remuxed, metadata stripped. */
  original: string;
  /** A WebP still (a video's poster frame), longest edge MEDIA_LIMITS.thumbEdge at most; null for files and voice. */
  thumb: string | null;
  /** Videos: a WebP poster frame at up to 1280 px; null for images. */
  poster: string | null;
  /** Images: WebP renditions (animated for GIFs), smallest first; empty when the original is small. */
  sizes: MediaSizeView[];
}

export interface MediaView {
  id: string;
  kind: MediaKind;
  /** The type the decoder proved, one of MEDIA_TYPES (never the uploader's claim); FILE_MIME for files. */
  mime: MediaType | typeof FILE_MIME;
  /** The name it was uploaded with, cleaned (what files show and downloads are saved as). */
  name: string;
  /** Bytes of `urls.original`. */
  size: number;
  /** Display size (after EXIF orientation / video rotation); 0 × 0 for files. */
  width: number;
  height: number;
  /** Videos and voice messages; null for images and files. */
  durationMs: number | null;
  /** Voice messages: MEDIA_LIMITS.waveformBars levels (0–waveformMax) computed by the server; null otherwise. */
  waveform: number[] | null;
  /** A tiny blurred WebP as a `data:` URL: paint it at width × height until the real image loads ('' for files). */
  placeholder: string;
  urls: MediaUrls;
}

/** One item of a chat's gallery: a media file and the message that carries it. */
export interface GalleryItem {
  media: MediaView;
  messageId: string;
  seq: number;
  senderId: string;
  createdAt: string;
}

export interface GalleryQuery {
  cursor?: string;
  limit?: number;
  kind?: MediaKind;
}

/**
 * A short-lived, read-only key bound to the signed-in user and session, for loading media where
 * no Authorization header can be sent: `${url}?k=${key}`. It authorises nothing but
 * `GET /api/media/:id/:variant`, and every fetch still checks that the user may see that media
 * right now (a member of its chat, or its uploader before it is sent). Fetch a new one before
 * `expiresAt`; within one half-hour window the same key is returned, so URLs stay cacheable.
 */
export interface MediaKeyView {
  key: string;
  param: typeof MEDIA_LIMITS.keyParam;
  expiresAt: string;
}

/** The server's configured limits (for checks in the composer before uploading). */
export interface MediaLimitsView {
  maxFileBytes: number;
  maxFilesPerMessage: number;
  maxPixels: number;
  maxVideoSeconds: number;
  maxVoiceSeconds: number;
  types: MediaType[];
}

/** Where a group's picture is served (public, immutable names), as the API builds it from the stored key. */
export function groupAvatarView(key: string | null): { small: string; large: string } | null {
  return key ? { small: `/api/media/group-avatars/${key}-small.webp`, large: `/api/media/group-avatars/${key}-large.webp` } : null;
}

/** A personal wallpaper for one chat (only the member who set it sees it). */
export interface ChatWallpaperView {
  wallpaper: { small: string; large: string } | null;
}

/** Width and height of one stored rendition (`original`, `thumb`, `poster`, `w640`, …). */
export interface MediaRenditionSize {
  width: number;
  height: number;
}

/** What the API stores about a media file, as its queries hand it over (the input of `toMediaView`). */
export interface MediaViewSource extends Omit<MediaView, 'urls'> {
  renditions: Record<string, MediaRenditionSize>;
}

/** The one media URL scheme: a rendition of a media file (see MediaUrls). */
export const mediaPath = (id: string, rendition: string): string => `/api/media/${id}/${rendition}`;

const SIZE_RENDITION = /^w\d{2,5}$/;

/** Builds the wire view; every place that answers with media (upload, messages, gallery) goes through it. */
export function toMediaView(src: MediaViewSource): MediaView {
  const sizes = Object.entries(src.renditions)
    .filter(([name]) => SIZE_RENDITION.test(name))
    .map(([name, r]) => ({ width: r.width, height: r.height, url: mediaPath(src.id, name) }))
    .sort((a, b) => a.width - b.width);
  return {
    id: src.id,
    kind: src.kind,
    mime: src.mime,
    name: src.name,
    size: src.size,
    width: src.width,
    height: src.height,
    durationMs: src.durationMs,
    waveform: src.waveform,
    placeholder: src.placeholder,
    urls: {
      original: mediaPath(src.id, 'original'),
      thumb: src.kind === 'file' || src.kind === 'voice' ? null : mediaPath(src.id, 'thumb'),
      poster: src.renditions.poster ? mediaPath(src.id, 'poster') : null,
      sizes,
    },
  };
}
