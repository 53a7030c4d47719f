/** Date helpers for the chat UI (pure: the clock and locale are passed in). */

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** "14:05" */
export function clockTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** The chat list's time: the clock today, the weekday this week, else the date. */
export function listTime(iso: string, now: number, locale: string): string {
  const d = new Date(iso);
  const today = new Date(now);
  if (sameDay(d, today)) return clockTime(iso, locale);
  const days = (now - d.getTime()) / 86_400_000;
  if (days < 6) return new Intl.DateTimeFormat(locale, { weekday: 'short' }).format(d);
  if (d.getFullYear() === today.getFullYear()) return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' }).format(d);
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' }).format(d);
}

/** A day separator in the history: 'today', 'yesterday' or the formatted date. */
export function dayLabel(iso: string, now: number, locale: string): 'today' | 'yesterday' | string {
  const d = new Date(iso);
  const today = new Date(now);
  if (sameDay(d, today)) return 'today';
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (sameDay(d, yesterday)) return 'yesterday';
  const opts: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long' };
  if (d.getFullYear() !== today.getFullYear()) opts.year = 'numeric';
  return new Intl.DateTimeFormat(locale, opts).format(d);
}

/** A key per calendar day, to tell where a separator goes. */
export function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}
