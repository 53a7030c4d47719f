import { FALLBACK_TIME_ZONE, TIME_ZONE_COOKIE, validTimeZone } from '~/utils/time-zone';

const YEAR_S = 365 * 24 * 3600;

/** The `msg_tz` cookie: the browser's IANA zone, readable by the server during SSR. */
export function useTimeZoneCookie() {
  return useCookie<string | null>(TIME_ZONE_COOKIE, { path: '/', sameSite: 'lax', maxAge: YEAR_S, default: () => null });
}

/**
 * The time zone dates are shown in. During SSR it is the zone the browser put in the `msg_tz`
 * cookie (validated; UTC without one), and it is part of the state, so the browser hydrates
 * with the zone the server rendered in; `plugins/time-zone.client.ts` moves it to the browser's
 * own zone after hydration when the two differ (the first visit).
 */
export function useTimeZone() {
  // The cookie is read once, when the state is first made (not in every component that shows a date).
  return useState<string>('time-zone', () => validTimeZone(useTimeZoneCookie().value) ?? FALLBACK_TIME_ZONE);
}
