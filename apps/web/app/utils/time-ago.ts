const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

import { formatDate } from './chat-format';

/**
 * "5 minutes ago", "yesterday", "3 days ago", then the date in the user's time zone: relative to
 * a given clock, so the server and the browser (which hydrates with the server's clock and the
 * same zone) print the same words. Null under a minute ("just now" is the caller's wording).
 */
export function timeAgo(iso: string, now: number, locale: string, timeZone: string): string | null {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return null;
  const diff = Math.max(0, now - then);
  if (diff < MINUTE) return null;
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (diff < HOUR) return rtf.format(-Math.floor(diff / MINUTE), 'minute');
  if (diff < DAY) return rtf.format(-Math.floor(diff / HOUR), 'hour');
  if (diff < WEEK) return rtf.format(-Math.floor(diff / DAY), 'day');
  return formatDate(then, locale, timeZone, { dateStyle: 'medium' });
}
