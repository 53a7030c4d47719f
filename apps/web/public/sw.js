// The offline shell. Build assets (content-hashed, immutable) are served from the cache once seen;
// pages always come from the network, and when there is none, from the cached offline page, which
// shows the chats and messages the app saved on this device (offline.js; icon and manifest
// precached beside it).
// API calls, media and sockets are never cached: they are private and live.
const SHELL = 'shell-v2';
const ASSETS = 'assets-v1';
const ASSET_LIMIT = 300;
const PRECACHE = ['/offline.html', '/offline.js', '/icon.svg', '/icon-192.png', '/manifest.webmanifest'];

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

// What the offline page itself shows (its icon, the manifest): from the network while there is
// one, else the copy precached with it.
async function fromNetworkOrShell(request) {
  try {
    return await fetch(request);
  } catch {
    return (await caches.match(request, { cacheName: SHELL })) ?? Response.error();
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
  else if (PRECACHE.includes(url.pathname) && url.search === '') event.respondWith(fromNetworkOrShell(request));
  else if (url.pathname.startsWith('/_nuxt/')) event.respondWith(fromCacheOrNetwork(request));
});

// Web Push. The payload (PushPayload in the contracts) names the chat, the sender as this user may
// see them and the chat title; the text only when the user turned the preview on. A chat's
// notifications share one tag: a new one replaces the last and counts the messages it stands for.
const NEW_MESSAGE = { en: 'New message', ru: 'Новое сообщение' };
const NEW_MESSAGES = { en: (n) => `${n} new messages`, ru: (n) => `Новых сообщений: ${n}` };
const MENTIONED = { en: 'mentioned you', ru: 'упомянул(а) вас' };
const FRIEND_REQUEST = { en: 'wants to be your friend', ru: 'хочет добавить вас в друзья' };
const lang = () => ((self.navigator.language || 'en').toLowerCase().startsWith('ru') ? 'ru' : 'en');

async function showPush(payload) {
  const l = lang();
  const previous = (await self.registration.getNotifications({ tag: payload.tag }))[0];
  const count = (previous?.data?.count ?? 0) + 1;
  let title;
  let body;
  if (payload.kind === 'friend-request') {
    title = payload.sender.name;
    body = FRIEND_REQUEST[l];
  } else {
    const group = payload.chatTitle && payload.chatTitle !== payload.sender.name;
    title = group ? payload.chatTitle : payload.sender.name;
    const line = payload.kind === 'mention' && !payload.preview ? MENTIONED[l] : (payload.preview ?? NEW_MESSAGE[l]);
    body = count > 1 && !payload.preview ? NEW_MESSAGES[l](count) : group ? `${payload.sender.name}: ${line}` : line;
  }
  await self.registration.showNotification(title, {
    body,
    tag: payload.tag,
    renotify: true,
    icon: '/icon-192.png',
    badge: '/icon-192.png',
    timestamp: Date.now(),
    data: { url: payload.url, chatId: payload.chatId, count },
  });
}

self.addEventListener('push', (event) => {
  let payload = null;
  try {
    payload = event.data ? event.data.json() : null;
  } catch {
    payload = null;
  }
  if (!payload || typeof payload.tag !== 'string') return;
  event.waitUntil(showPush(payload));
});

/** A click: focus an open tab of the site on the chat, or open one there. */
async function openFromNotification(notification) {
  notification.close();
  const target = new URL(notification.data?.url ?? '/', self.location.origin);
  const open = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const tab = open.find((c) => new URL(c.url).origin === self.location.origin);
  if (!tab) return void (await self.clients.openWindow(target.href));
  await tab.focus().catch(() => undefined);
  if (tab.url !== target.href) await tab.navigate(target.href).catch(() => tab.postMessage({ type: 'open', url: target.pathname + target.search }));
}
self.openFromNotification = openFromNotification;

self.addEventListener('notificationclick', (event) => {
  event.waitUntil(openFromNotification(event.notification));
});
