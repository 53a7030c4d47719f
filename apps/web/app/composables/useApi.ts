import type { NuxtApp } from '#app';
import type { Pinia } from 'pinia';
import { toApiRequestError } from '~/utils/api-error';
import { useSessionStore } from '~/stores/session';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Query = Record<string, string | number | boolean | undefined>;

export interface ApiRequestOptions {
  method?: Method;
  body?: object | FormData;
  query?: Query;
}

export interface ApiClient {
  request<T>(path: string, opts?: ApiRequestOptions): Promise<T>;
  get<T>(path: string, query?: Query): Promise<T>;
  post<T>(path: string, body?: object | FormData): Promise<T>;
  put<T>(path: string, body?: object | FormData): Promise<T>;
  patch<T>(path: string, body?: object): Promise<T>;
  del<T>(path: string): Promise<T>;
}

/** Headers that let the API see the browser behind a server-side render. */
function serverHeaders(nuxtApp: NuxtApp): Record<string, string> {
  const req = nuxtApp.ssrContext?.event.node.req;
  if (!req) return {};
  const out: Record<string, string> = {};
  const ua = req.headers['user-agent'];
  if (ua) out['user-agent'] = ua;
  const prior = req.headers['x-forwarded-for'];
  const remote = req.socket.remoteAddress;
  const chain = [typeof prior === 'string' ? prior : undefined, remote].filter(Boolean).join(', ');
  if (chain) out['x-forwarded-for'] = chain;
  return out;
}

/**
 * An API client bound to one Nuxt app: adds the bearer token, refreshes it when it nears expiry,
 * retries once after a 401, and turns error bodies into ApiRequestError.
 * In the browser it goes through the BFF proxy; during SSR straight to the API.
 */
export function createApiClient(nuxtApp: NuxtApp): ApiClient {
  const session = useSessionStore(nuxtApp.$pinia as Pinia);
  const base = import.meta.server ? `${nuxtApp.$config.apiInternalUrl}/api` : '/api';

  async function send<T>(path: string, opts: ApiRequestOptions, token: string | null): Promise<T> {
    const headers: Record<string, string> = import.meta.server ? serverHeaders(nuxtApp) : {};
    if (token) headers.authorization = `Bearer ${token}`;
    // Nitro types $fetch by the site's own routes; a path to the API answers the contract type the caller names.
    const body: unknown = await $fetch(path, {
      baseURL: base,
      method: opts.method ?? 'GET',
      body: opts.body,
      query: opts.query,
      headers,
    });
    return body as T;
  }

  /** The session is gone (revoked, expired): start over on the sign-in page with a clean app. */
  function onSignedOut(): void {
    const from = nuxtApp._route?.fullPath;
    const query = from && from !== '/' ? `?redirect=${encodeURIComponent(from)}` : '';
    nuxtApp.runWithContext(() => session.leave(`/login${query}`));
  }

  async function request<T>(path: string, opts: ApiRequestOptions = {}): Promise<T> {
    try {
      return await send<T>(path, opts, await session.freshToken());
    } catch (raw) {
      const err = toApiRequestError(raw);
      if (err.status !== 401 || import.meta.server) throw err;
      if (!(await session.refresh())) {
        onSignedOut();
        throw err;
      }
    }
    try {
      return await send<T>(path, opts, session.accessToken);
    } catch (raw) {
      const err = toApiRequestError(raw);
      if (err.status === 401) onSignedOut();
      throw err;
    }
  }

  return {
    request,
    get: (path, query) => request(path, { query }),
    post: (path, body) => request(path, { method: 'POST', body }),
    put: (path, body) => request(path, { method: 'PUT', body }),
    patch: (path, body) => request(path, { method: 'PATCH', body }),
    del: (path) => request(path, { method: 'DELETE' }),
  };
}

/** The API client for the current component, page, plugin or store. */
export function useApi(): ApiClient {
  return createApiClient(useNuxtApp());
}

