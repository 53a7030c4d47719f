import { useSessionStore } from '~/stores/session';

/** Puts the session of this request into Pinia before any route middleware runs, so the page renders signed in. */
export default defineNuxtPlugin({
  name: 'session-ssr',
  async setup() {
    const auth = await useRequestEvent()?.context.resolveAuth?.();
    if (auth) useSessionStore().hydrate(auth);
  },
});
