import { fileURLToPath } from 'node:url';

const contracts = fileURLToPath(new URL('./libs/contracts/src/index.ts', import.meta.url));
const socketRelay = fileURLToPath(new URL('./apps/web/server/socket-relay.ts', import.meta.url));
// On top of `strict`, as in the API's tsconfig.json.
const strictExtras = { noImplicitOverride: true, noFallthroughCasesInSwitch: true, noImplicitReturns: true };

export default defineNuxtConfig({
  compatibilityDate: '2025-07-15',
  srcDir: 'apps/web/app',
  serverDir: 'apps/web/server',
  dir: { public: 'apps/web/public' },
  buildDir: '.nuxt',
  ssr: true,
  telemetry: false,
  devtools: { enabled: false },
  modules: ['@pinia/nuxt', '@nuxtjs/i18n'],
  alias: { '@app/contracts': contracts },
  css: ['~/assets/css/main.css'],
  // <ChatListItem> rather than <ChatChatListItem>: the folder is for grouping only.
  components: [{ path: '~/components', pathPrefix: false }],
  runtimeConfig: {
    // Server only: where Nitro reaches the API (NUXT_API_INTERNAL_URL).
    apiInternalUrl: 'http://127.0.0.1:3001',
    public: {
      // Where browsers open Socket.IO (NUXT_PUBLIC_SOCKET_URL); empty = the site's own origin,
      // which relays it to the API (server/routes/socket.io), so any host name works.
      socketUrl: '',
    },
  },
  nitro: {
    alias: { '@app/contracts': contracts },
    // The Socket.IO relay, websocket upgrades included. Registered here because Socket.IO's
    // path ends in a slash (/socket.io/?EIO=4…), which file-based routes cannot name.
    experimental: { websocket: true },
    handlers: [{ route: '/socket.io/', handler: socketRelay }],
    // Build files and public assets are served pre-compressed (brotli, gzip).
    compressPublicAssets: { brotli: true, gzip: true },
    typescript: { tsConfig: { compilerOptions: strictExtras } },
  },
  app: {
    head: {
      htmlAttrs: { lang: 'en' },
      meta: [
        { name: 'viewport', content: 'width=device-width, initial-scale=1, viewport-fit=cover' },
        { name: 'theme-color', content: '#3b82f6' },
        { name: 'color-scheme', content: 'light dark' },
      ],
      link: [
        { rel: 'icon', type: 'image/svg+xml', href: '/icon.svg' },
        { rel: 'apple-touch-icon', href: '/icon-192.png' },
        { rel: 'manifest', href: '/manifest.webmanifest' },
      ],
    },
  },
  i18n: {
    restructureDir: 'apps/web/i18n',
    langDir: 'locales',
    strategy: 'no_prefix',
    defaultLocale: 'en',
    locales: [
      { code: 'en', language: 'en-US', name: 'English', files: ['en.json', 'en-social.json', 'en-chat.json', 'en-media.json'] },
      { code: 'ru', language: 'ru-RU', name: 'Русский', files: ['ru.json', 'ru-social.json', 'ru-chat.json', 'ru-media.json'] },
    ],
    detectBrowserLanguage: {
      useCookie: true,
      cookieKey: 'msg_locale',
      fallbackLocale: 'en',
    },
  },
  // `npm run typecheck` runs vue-tsc over the tsconfigs generated from this (scripts/typecheck.mjs).
  typescript: {
    strict: true,
    tsConfig: {
      compilerOptions: strictExtras,
      // Unknown props, events, components and directives in templates are errors; data-* stays open.
      vueCompilerOptions: { strictTemplates: true, dataAttributes: ['data-*'] },
    },
    nodeTsConfig: { compilerOptions: strictExtras },
  },
  hooks: {
    // A page downloads what it uses: the sign-in pages do not prefetch the chats, the socket
    // client (plugins/realtime.client.ts, sync-chats.client.ts) or any other page's code.
    'build:manifest': (manifest) => {
      for (const chunk of Object.values(manifest)) chunk.prefetch = false;
    },
  },
});
