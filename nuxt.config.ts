import { fileURLToPath } from 'node:url';

const contracts = fileURLToPath(new URL('./libs/contracts/src/index.ts', import.meta.url));

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
      // Browser-visible Socket.IO endpoint (NUXT_PUBLIC_SOCKET_URL).
      socketUrl: 'http://localhost:3001',
    },
  },
  nitro: {
    alias: { '@app/contracts': contracts },
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
  typescript: { strict: true },
});
