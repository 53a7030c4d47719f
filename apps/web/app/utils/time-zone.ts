/** The cookie in which the browser tells the server its time zone, so pages render the user's own clock. */
export const TIME_ZONE_COOKIE = 'msg_tz';

/** The zone used until the browser has said which one it is in. */
export const FALLBACK_TIME_ZONE = 'UTC';

/** The canonical name of an IANA time zone the runtime knows ('europe/moscow' → 'Europe/Moscow'), else null. */
export function validTimeZone(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(value)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}
