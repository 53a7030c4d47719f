// The offline shell. Build assets (content-hashed, immutable) are served from the cache once seen;
// pages always come from the network, and when there is none, from the cached offline page.
// API calls, media and sockets are never cached: they are private and live.
const SHELL = 'shell-v1';
const ASSETS = 'assets-v1';
const ASSET_LIMIT = 300;
const PRECACHE = ['/offline.html', '/icon.svg', '/icon-192.png', '/manifest.webmanifest'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== SHELL && key !== ASSETS) await caches.delete(key);
    await self.clients.claim();
  })());
});

async function fromNetworkOrOffline(request) {
  try {
    return await fetch(request);
  } catch {
    return (await caches.match('/offline.html', { cacheName: SHELL })) ?? Response.error();
  }
}

async function fromCacheOrNetwork(request) {
  const cache = await caches.open(ASSETS);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
    const keys = await cache.keys();
    for (const old of keys.slice(0, Math.max(0, keys.length - ASSET_LIMIT))) await cache.delete(old);
  }
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') event.respondWith(fromNetworkOrOffline(request));
  else if (url.pathname.startsWith('/_nuxt/')) event.respondWith(fromCacheOrNetwork(request));
});
