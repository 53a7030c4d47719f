import { useSessionStore } from '~/stores/session';

/** Signed-out users go to /login (also during SSR); signed-in users skip the guest pages. */
export default defineNuxtRouteMiddleware((to) => {
  // No such page: the router shows the 404 page to everyone (sending the visitor to sign in
  // and back would loop), so it is left alone here.
  if (to.matched.length === 0) return;
  const session = useSessionStore();
  if (to.meta.guestOnly && session.isSignedIn) return navigateTo(safeRedirect(to.query.redirect));
  if (!to.meta.public && !session.isSignedIn) {
    return navigateTo({ path: '/login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } });
  }
});
