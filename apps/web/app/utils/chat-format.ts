/**
 * Date helpers for the chat UI. Pure: the clock, the locale and the time zone are passed in, so
 * the server renders the user's own clock (the zone comes from the `msg_tz` cookie, see
 * `useTimeZone`) and the browser hydrates with the very same text.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One cached formatter per locale, zone and options (building one costs far more than using it). */
export function dateFormatter(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let fmt = formatters.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(key, fmt);
  }
  return fmt;
}

/** Formats an instant (ISO text or epoch ms) in a time zone. */
export function formatDate(at: string | number, locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): string {
  return dateFormatter(locale, timeZone, options).format(new Date(at));
}

/** The calendar day of an instant in a time zone, as 'YYYY-MM-DD': the key of a day separator. */
export function dayKey(at: string | number, timeZone: string): string {
  const parts = dateFormatter('en-US', timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(at));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The calendar day before a 'YYYY-MM-DD' day (by the calendar, not 24 hours: DST days are 23 or 25 hours long). */
function dayBefore(key: string): string {
  const [y = 0, m = 1, d = 1] = key.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

/** "14:05" */
export function clockTime(iso: string, locale: string, timeZone: string): string {
  return formatDate(iso, locale, timeZone, { hour: '2-digit', minute: '2-digit' });
}

/** The chat list's time: the clock today, the weekday this week, else the date. */
export function listTime(iso: string, now: number, locale: string, timeZone: string): string {
  const day = dayKey(iso, timeZone);
  const today = dayKey(now, timeZone);
  if (day === today) return clockTime(iso, locale, timeZone);
  if ((now - Date.parse(iso)) / 86_400_000 < 6) return formatDate(iso, locale, timeZone, { weekday: 'short' });
  if (day.slice(0, 4) === today.slice(0, 4)) return formatDate(iso, locale, timeZone, { day: 'numeric', month: 'short' });
  return formatDate(iso, locale, timeZone, { day: 'numeric', month: 'short', year: 'numeric' });
}

/** A day separator in the history: 'today', 'yesterday' or the formatted date. */
export function dayLabel(iso: string, now: number, locale: string, timeZone: string): 'today' | 'yesterday' | string {
  const day = dayKey(iso, timeZone);
  const today = dayKey(now, timeZone);
  if (day === today) return 'today';
  if (day === dayBefore(today)) return 'yesterday';
  const opts: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long' };
  if (day.slice(0, 4) !== today.slice(0, 4)) opts.year = 'numeric';
  return formatDate(iso, locale, timeZone, opts);
}
