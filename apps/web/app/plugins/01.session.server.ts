import { useSessionStore } from '~/stores/session';

/** Puts the session the Nitro middleware resolved into Pinia, so the page renders signed in. */
export default defineNuxtPlugin({
  name: 'session-ssr',
  setup() {
    const auth = useRequestEvent()?.context.auth;
    if (auth) useSessionStore().hydrate(auth);
  },
});
