import type { AuthView, LoginRequest, MeView, RegisterRequest, UpdateProfileRequest } from '@app/contracts';
import { toApiRequestError } from '~/utils/api-error';
import { createApiClient } from '~/composables/useApi';

/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 30_000;
const REFRESH_LOCK = 'msg-auth-refresh';

/** The signed-in user's identity: access token (memory only) and profile. */
export const useSessionStore = defineStore('session', () => {
  const nuxtApp = useNuxtApp();
  const accessToken = ref<string | null>(null);
  const accessTokenExpiresAt = ref<string | null>(null);
  const sessionId = ref<string | null>(null);
  const me = ref<MeView | null>(null);
  const isSignedIn = computed(() => accessToken.value !== null && me.value !== null);

  // Not state: the one refresh in flight, shared by every caller of this store instance.
  let inflight: Promise<boolean> | null = null;
  // Not state: this app is on its way to the sign-in page.
  let leaving = false;

  function hydrate(auth: AuthView): void {
    accessToken.value = auth.accessToken;
    accessTokenExpiresAt.value = auth.accessTokenExpiresAt;
    sessionId.value = auth.sessionId;
    me.value = auth.user;
  }

  function clear(): void {
    accessToken.value = null;
    accessTokenExpiresAt.value = null;
    sessionId.value = null;
    me.value = null;
  }

  /**
   * Forgets the user and loads the sign-in page as a fresh app, once: a sign-out is heard both by
   * the request that asked for it and by the live connection, and a second load cuts off the first.
   * Forced: the reload guard would otherwise swallow a second sign-out within its ten seconds.
   */
  function leave(path = '/login'): void {
    clear();
    if (leaving || import.meta.server) return;
    leaving = true;
    reloadNuxtApp({ path, persistState: false, force: true });
  }

  function setMe(next: MeView): void {
    me.value = next;
  }

  function tokenNearsExpiry(now = Date.now()): boolean {
    if (!accessToken.value || !accessTokenExpiresAt.value) return false;
    return Date.parse(accessTokenExpiresAt.value) - now < REFRESH_MARGIN_MS;
  }

  async function refreshOnce(): Promise<boolean> {
    try {
      hydrate(await $fetch<AuthView>('/api/auth/refresh', { method: 'POST' }));
      return true;
    } catch (err) {
      if (toApiRequestError(err).status === 401) clear();
      return false;
    }
  }

  /** Rotates the refresh cookie for a new access token; concurrent callers share one request. */
  function refresh(): Promise<boolean> {
    if (import.meta.server) return Promise.resolve(false);
    if (!inflight) {
      // Tabs of one browser share the cookie: a Web Lock keeps their refreshes in sequence.
      const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
      const run = locks ? locks.request(REFRESH_LOCK, refreshOnce) : refreshOnce();
      inflight = run.finally(() => {
        inflight = null;
      });
    }
    return inflight;
  }

  /** The access token to send now, refreshed first when it is about to expire. */
  async function freshToken(): Promise<string | null> {
    if (import.meta.client && tokenNearsExpiry()) await refresh();
    return accessToken.value;
  }

  async function signIn(req: LoginRequest): Promise<void> {
    try {
      hydrate(await $fetch<AuthView>('/api/auth/login', { method: 'POST', body: req }));
    } catch (err) {
      throw toApiRequestError(err);
    }
  }

  async function register(req: RegisterRequest): Promise<void> {
    try {
      hydrate(await $fetch<AuthView>('/api/auth/register', { method: 'POST', body: req }));
    } catch (err) {
      throw toApiRequestError(err);
    }
  }

  async function signOut(): Promise<void> {
    const token = accessToken.value;
    try {
      await $fetch('/api/auth/logout', {
        method: 'POST',
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    } catch {
      // Signing out locally still happens; the server session expires on its own.
    }
    clear();
  }

  async function updateMe(req: UpdateProfileRequest): Promise<MeView> {
    const next = await createApiClient(nuxtApp).patch<MeView>('/users/me', req);
    setMe(next);
    return next;
  }

  return {
    accessToken,
    accessTokenExpiresAt,
    sessionId,
    me,
    isSignedIn,
    hydrate,
    clear,
    setMe,
    tokenNearsExpiry,
    refresh,
    freshToken,
    signIn,
    register,
    signOut,
    leave,
    updateMe,
  };
});
