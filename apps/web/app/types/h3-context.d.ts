import type { AuthView } from '@app/contracts';

declare module 'h3' {
  interface H3EventContext {
    /**
     * The signed-in session of this request, resolved from the cookies on first call and then
     * remembered; null when signed out. Set by the web server for every request, called by the
     * page renderer, so only rendered pages (whatever their URL) spend an API call on it.
     */
    resolveAuth?: () => Promise<AuthView | null>;
  }
}

export {};
