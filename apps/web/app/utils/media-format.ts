/** "0:07", "12:03", "1:02:03" for a video duration. */
export function formatDuration(ms: number | null | undefined): string {
  const total = Math.max(0, Math.round((ms ?? 0) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** "4.2 MB", "830 KB" (decimal units, as file pickers show them). */
export function formatBytes(bytes: number, locale = 'en'): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let n = bytes;
  let u = 0;
  while (n >= 1000 && u < units.length - 1) {
    n /= 1000;
    u += 1;
  }
  const digits = u === 0 || n >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n)} ${units[u]}`;
}

/** Width / height, kept within [min, max] so very tall or wide files do not take over a bubble. */
export function clampRatio(width: number, height: number, min = 0.6, max = 1.9): number {
  if (!width || !height) return 1;
  return Math.min(max, Math.max(min, width / height));
}

/** A file name's extension as a short label ("pdf", "zip"), or "" when it has none. */
export function fileExtension(name: string): string {
  const m = /\.([\p{L}\p{N}]{1,8})$/u.exec(name);
  return m ? m[1]!.toLowerCase() : '';
}
