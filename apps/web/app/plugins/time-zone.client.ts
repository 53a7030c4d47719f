import { useTimeZone, useTimeZoneCookie } from '~/composables/useTimeZone';
import { validTimeZone } from '~/utils/time-zone';

/**
 * Tells the server the browser's time zone (the `msg_tz` cookie) so the next pages render in it,
 * and, once hydration is over, switches this page to it when the server rendered in another one.
 */
export default defineNuxtPlugin(() => {
  const zone = validTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
  if (!zone) return;
  const cookie = useTimeZoneCookie();
  if (cookie.value !== zone) cookie.value = zone;
  const current = useTimeZone();
  onNuxtReady(() => {
    if (current.value !== zone) current.value = zone;
  });
});
