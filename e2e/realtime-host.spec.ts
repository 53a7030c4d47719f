import type { BrowserContext, Page } from 'playwright-core';
import { io } from 'socket.io-client';
import type { HandshakeErrorCode } from '@app/contracts';
import { openChat } from '../apps/api/test/support/chats.js';
import { register, type Registered } from '../apps/api/test/support/factories.js';
import { launchBrowser, startSite, useSiteAndBrowser, type Site } from './support/servers.js';
import { signInViaUi } from './support/web.js';

// Out of the box: the browser reaches Socket.IO through the site's own origin.
const stage = useSiteAndBrowser();

/** The same site under another of its names: localhost instead of 127.0.0.1. */
const asLocalhost = (url: string): string => url.replace('//127.0.0.1:', '//localhost:');

interface Person {
  user: Registered;
  context: BrowserContext;
  page: Page;
}

async function person(base: string): Promise<Person> {
  const user = await register(stage.site.api.http);
  const context = await stage.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signInViaUi(page, base, user.request.username, user.password);
  return { user, context, page };
}

async function openConversation(p: Person, base: string, chatId: string): Promise<void> {
  await p.page.goto(`${base}/?chat=${chatId}`);
  await p.page.waitForSelector('[data-testid=composer-input]');
}

async function send(page: Page, text: string): Promise<void> {
  await page.fill('[data-testid=composer-input]', text);
  await page.press('[data-testid=composer-input]', 'Enter');
}

const bubble = (page: Page, text: string) => page.locator('[data-testid=message-text]', { hasText: text });

/** What the server answers a handshake sent through the web server with a forged Origin. */
function handshakeThroughSite(base: string, token: string, transport: 'websocket' | 'polling'): Promise<string> {
  const socket = io(base, {
    path: '/socket.io',
    transports: [transport],
    auth: { token },
    reconnection: false,
    forceNew: true,
    extraHeaders: { Origin: 'http://evil.example', 'X-Forwarded-Host': 'evil.example' },
  });
  return new Promise<string>((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (e: Error & { data?: { code?: HandshakeErrorCode } }) => resolve(e.data?.code ?? `no code: ${e.message}`));
  }).finally(() => socket.disconnect());
}

describe('real time under any host name of the site', () => {
  it('delivers messages live to a page opened as 127.0.0.1 and to one opened as localhost', async () => {
    const base = stage.site.baseUrl;
    const local = asLocalhost(base);
    const anna = await person(base);
    const boris = await person(local);
    try {
      const chat = await openChat(stage.site.api.http, anna.user.token, [boris.user.auth.user.id]);
      await openConversation(anna, base, chat.id);
      await openConversation(boris, local, chat.id);

      await send(anna.page, 'from 127.0.0.1');
      await bubble(boris.page, 'from 127.0.0.1').waitFor({ timeout: 15_000 });
      await send(boris.page, 'from localhost');
      await bubble(anna.page, 'from localhost').waitFor({ timeout: 15_000 });
      expect(await boris.page.isVisible('[data-testid=realtime-refused]')).toBe(false);
      // Live, not fetched by a reload: each page was loaded once, before the other one wrote.
      expect(await anna.page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
    } finally {
      await anna.context.close();
      await boris.context.close();
    }
  }, 90_000);

  it('still refuses a foreign Origin that comes through the web server, over websocket and polling', async () => {
    const u = await register(stage.site.api.http);
    await expect(handshakeThroughSite(stage.site.baseUrl, u.token, 'websocket')).resolves.toBe('ORIGIN_NOT_ALLOWED');
    await expect(handshakeThroughSite(stage.site.baseUrl, u.token, 'polling')).resolves.toBe('ORIGIN_NOT_ALLOWED');
  }, 30_000);

  it('notices a lost network at once, from the browser, and is live again when it returns', async () => {
    // As localhost, where Socket.IO itself does not listen for the browser's offline event.
    const base = asLocalhost(stage.site.baseUrl);
    const anna = await person(base);
    const boris = await person(base);
    try {
      const chat = await openChat(stage.site.api.http, anna.user.token, [boris.user.auth.user.id]);
      await openConversation(anna, base, chat.id);
      await openConversation(boris, base, chat.id);
      await send(boris.page, 'before the cut');
      await bubble(anna.page, 'before the cut').waitFor({ timeout: 15_000 });
      expect(await anna.page.isVisible('[data-testid=connection-status]')).toBe(false);

      await anna.context.setOffline(true);
      // The socket's ping timeout would take 45 s; the browser's offline event is immediate.
      await anna.page.locator('[data-testid=connection-status]').waitFor({ timeout: 5_000 });
      await anna.context.setOffline(false);
      await anna.page.locator('[data-testid=connection-status]').waitFor({ state: 'detached', timeout: 15_000 });
      await send(boris.page, 'after the cut');
      await bubble(anna.page, 'after the cut').waitFor({ timeout: 15_000 });
    } finally {
      await anna.context.close();
      await boris.context.close();
    }
  }, 90_000);
});

describe('a connection the server refuses', () => {
  let site: Site;
  beforeAll(async () => {
    // Sockets straight to the API, which allows only the 127.0.0.1 origin.
    site = await startSite({}, (apiUrl) => ({ NUXT_PUBLIC_SOCKET_URL: apiUrl }));
  }, 60_000);
  afterAll(() => site.stop());

  it('is shown to the user with the reason, in their language', async () => {
    const browser = await launchBrowser();
    try {
      const cases = [
        ['en', 'does not accept connections from localhost'],
        ['ru', 'не принимает подключения с адреса localhost'],
      ] as const;
      for (const [locale, words] of cases) {
        const user = await register(site.api.http, { locale });
        const context = await browser.newContext({ locale });
        const page = await context.newPage();
        await signInViaUi(page, asLocalhost(site.baseUrl), user.request.username, user.password);
        const notice = page.locator('[data-testid=realtime-refused]');
        await notice.waitFor({ timeout: 15_000 });
        expect(await notice.textContent()).toContain(words);
        await context.close();
      }
    } finally {
      await browser.close();
    }
  }, 90_000);
});
