import { jest } from '@jest/globals';
import type { Page, Worker } from 'playwright-core';
import type { AuthView, ChatView, PushPayload } from '@app/contracts';
import { RealtimeServer } from '../apps/api/src/realtime/realtime.server.js';
import { LocalPushService, type FakeBrowser } from '../apps/api/test/support/push-service.js';
import { useSiteAndBrowser } from './support/servers.js';
import { newUser, open, registerViaUi } from './support/web.js';

// Several pushes per test, each waited for with a generous limit on a busy machine.
jest.setTimeout(90_000);

const service = new LocalPushService();
beforeAll(() => service.start());
const stage = useSiteAndBrowser({ PUSH_CA_FILE: service.caFile, PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true', PUSH_POLL_MS: '200' });
afterAll(() => service.stop());

interface ShownNotification {
  title: string;
  body: string;
  tag: string;
  data: { url: string; chatId: string; count: number };
}

/**
 * Headless Chromium has no push service of its own (PushManager.subscribe fails offline), so the
 * page's PushManager hands out the subscription of a fake browser whose endpoint is the test's push
 * service; what that service receives and decrypts is then delivered to the real service worker
 * through the DevTools protocol, as Chromium's push client would.
 */
async function useFakePushClient(page: Page, browser: FakeBrowser): Promise<void> {
  const sub = browser.subscription();
  await page.addInitScript((s) => {
    let current: PushSubscriptionJSON | null = null;
    const wrap = (json: PushSubscriptionJSON) => ({
      endpoint: json.endpoint,
      expirationTime: null,
      options: { userVisibleOnly: true },
      toJSON: () => json,
      unsubscribe: async () => {
        current = null;
        return true;
      },
    });
    PushManager.prototype.subscribe = async function subscribe() {
      current = s;
      return wrap(s) as unknown as PushSubscription;
    };
    PushManager.prototype.getSubscription = async function getSubscription() {
      return current ? (wrap(current) as unknown as PushSubscription) : null;
    };
  }, sub);
}

/** The parts of a service worker's global scope the test touches (the DOM lib has no worker types). */
interface SwScope {
  registration: ServiceWorkerRegistration;
  openFromNotification(n: Notification): Promise<void>;
}

async function notifications(sw: Worker): Promise<ShownNotification[]> {
  return sw.evaluate(async () =>
    (await (self as unknown as SwScope).registration.getNotifications()).map((n: Notification) => ({
      title: n.title, body: n.body, tag: n.tag, data: n.data as ShownNotification['data'],
    })),
  );
}

it('subscribes from the settings switch, shows pushes as notifications grouped per chat, and a click opens the chat', async () => {
  const base = stage.site.baseUrl;
  const alice = newUser({ displayName: 'Alice Pusher' });
  const aliceAuth = (await stage.site.api.http.post('/api/auth/register').send(alice).expect(201)).body as AuthView;
  const bob = newUser();
  const device = service.browser();
  const context = await stage.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.grantPermissions(['notifications'], { origin: base });
    const page = await context.newPage();
    await useFakePushClient(page, device);
    const swReady = context.waitForEvent('serviceworker');
    await registerViaUi(page, base, bob);
    const sw = context.serviceWorkers()[0] ?? (await swReady);

    await open(page, base, '/settings/notifications');
    expect(await page.isChecked('[data-testid=push-device]')).toBe(false);
    await page.click('[data-testid=push-device]');
    await page.waitForFunction(() => (document.querySelector('[data-testid=push-device]') as HTMLInputElement | null)?.checked === true);
    await open(page, base, '/settings/sessions');
    await page.waitForSelector('[data-testid=session-current] [data-testid=session-notifications]');

    // The tab goes away (a visible tab gets no pushes); Alice writes twice.
    const bobUserId = (await stage.site.api.http.get(`/api/users/by-username/${bob.username}`).set('Authorization', `Bearer ${aliceAuth.accessToken}`).expect(200)).body.id as string;
    const chat = (await stage.site.api.http.post('/api/chats').set('Authorization', `Bearer ${aliceAuth.accessToken}`).send({ userIds: [bobUserId] })).body as ChatView;
    await page.goto('about:blank');
    // The closed tab's socket is gone on the server before Alice writes (else the tab still counts as looking).
    const realtime = stage.site.api.app.get(RealtimeServer);
    for (let i = 0; i < 100 && (await realtime.visibleSessions(null, [bobUserId])).length > 0; i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(await realtime.visibleSessions(null, [bobUserId])).toEqual([]);
    for (const text of ['first', 'second']) {
      await stage.site.api.http.post(`/api/chats/${chat.id}/messages`).set('Authorization', `Bearer ${aliceAuth.accessToken}`)
        .send({ clientId: `c-${text}-${Date.now()}`, text }).expect(201);
    }
    await service.until(() => service.for(device).length === 2, 20_000).catch((e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify({ got: service.for(device).map((p) => p.payload.seq), hits: [...service.hits], errors: service.errors })}`);
    });
    const payloads: PushPayload[] = service.for(device).map((p) => p.payload);
    expect(payloads.map((p) => p.preview)).toEqual([null, null]);

    // Chromium's push client role: hand each decrypted message to the service worker.
    const cdp = await context.newCDPSession(page);
    const registered = new Promise<string>((resolve) => {
      cdp.on('ServiceWorker.workerRegistrationUpdated', (e: { registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] }) => {
        const r = e.registrations.find((x) => x.scopeURL.startsWith(base) && !x.isDeleted);
        if (r) resolve(r.registrationId);
      });
    });
    await cdp.send('ServiceWorker.enable');
    const registrationId = await registered;
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: base, registrationId, data: JSON.stringify(payloads[0]) });
    const waitShown = async (count: number) => {
      for (let i = 0; i < 100; i += 1) {
        const shown = await notifications(sw);
        if (shown.length === 1 && shown[0].data.count === count) return shown[0];
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no notification with count ${count}: ${JSON.stringify(await notifications(sw))}`);
    };
    const one = await waitShown(1);
    expect(one).toMatchObject({ title: 'Alice Pusher', body: 'New message', tag: `chat:${chat.id}`, data: { url: `/?chat=${chat.id}` } });
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: base, registrationId, data: JSON.stringify(payloads[1]) });
    const two = await waitShown(2);
    expect(two).toMatchObject({ title: 'Alice Pusher', body: '2 new messages', tag: `chat:${chat.id}` });

    // A click focuses the open tab and opens the chat there.
    await open(page, base, '/');
    await sw.evaluate(async () => {
      const scope = self as unknown as SwScope;
      const [n] = await scope.registration.getNotifications();
      await scope.openFromNotification(n);
    });
    await page.waitForURL((url) => url.searchParams.get('chat') === chat.id, { timeout: 10_000 });
    await page.waitForSelector('[data-testid=conversation-title]:has-text("Alice Pusher")', { timeout: 10_000 });
    expect(await notifications(sw)).toEqual([]);
  } finally {
    await context.close();
  }
});
