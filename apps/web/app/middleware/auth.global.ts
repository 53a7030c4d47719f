import { useSessionStore } from '~/stores/session';

/** Signed-out users go to /login (also during SSR); signed-in users skip the guest pages. */
export default defineNuxtRouteMiddleware((to) => {
  const session = useSessionStore();
  if (to.meta.guestOnly && session.isSignedIn) return navigateTo(safeRedirect(to.query.redirect));
  if (!to.meta.public && !session.isSignedIn) {
    return navigateTo({ path: '/login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } });
  }
});
