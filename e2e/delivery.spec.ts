import type { Page, Response } from 'playwright-core';
import { openChat, sendMessage } from '../apps/api/test/support/chats.js';
import { register } from '../apps/api/test/support/factories.js';
import { useSiteAndBrowser } from './support/servers.js';
import { signInViaUi } from './support/web.js';

const stage = useSiteAndBrowser();

/** Text only socket.io-client / engine.io-client carry (their error and close reasons). */
const SOCKET_CLIENT_MARKERS = ['xhr poll error', 'websocket error', 'transport close'];
/** The outbox's IndexedDB name: the chat stores' code. */
const CHAT_STORE_MARKER = 'messenger-outbox';

interface Loaded {
  url: string;
  type: string;
  encoding: string | undefined;
  body: string;
}

/** Every same-site script, style, document and JSON response a page load brings, with its body. */
async function recordLoads(page: Page, action: () => Promise<unknown>): Promise<Loaded[]> {
  const seen: Promise<Loaded | null>[] = [];
  const onResponse = (res: Response): void => {
    if (!res.url().startsWith(stage.site.baseUrl) || res.status() !== 200) return;
    seen.push(
      (async () => {
        const headers = await res.allHeaders();
        const type = headers['content-type'] ?? '';
        if (!/javascript|css|html|json/.test(type)) return null;
        return { url: res.url(), type, encoding: headers['content-encoding'], body: await res.text().catch(() => '') };
      })(),
    );
  };
  page.on('response', onResponse);
  await action();
  await page.waitForLoadState('networkidle');
  page.off('response', onResponse);
  return (await Promise.all(seen)).filter((l): l is Loaded => l !== null);
}

/** Bytes on the wire and decoded, summed over the document and every resource of the page. */
function transferOf(page: Page): Promise<{ transfer: number; encoded: number; decoded: number }> {
  return page.evaluate(() => {
    const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')] as PerformanceResourceTiming[];
    return entries.reduce(
      (sum, e) => ({ transfer: sum.transfer + e.transferSize, encoded: sum.encoded + e.encodedBodySize, decoded: sum.decoded + e.decodedBodySize }),
      { transfer: 0, encoded: 0, decoded: 0 },
    );
  });
}

describe('what the site sends', () => {
  it('keeps socket.io-client and the chat stores out of the sign-in pages', async () => {
    // Without the offline shell's worker, so that every response comes from the server.
    const context = await stage.browser.newContext({ serviceWorkers: 'block' });
    try {
      const page = await context.newPage();
      for (const path of ['/login', '/register']) {
        const loads = await recordLoads(page, () => page.goto(`${stage.site.baseUrl}${path}`));
        const scripts = loads.filter((l) => l.type.includes('javascript'));
        expect(scripts.length).toBeGreaterThan(0);
        const withSocket = scripts.filter((s) => SOCKET_CLIENT_MARKERS.some((m) => s.body.includes(m)));
        expect(withSocket.map((s) => s.url)).toEqual([]);
        expect(scripts.filter((s) => s.body.includes(CHAT_STORE_MARKER)).map((s) => s.url)).toEqual([]);
      }
      // Signed in, the same code arrives: the markers really are socket.io-client's.
      const user = await register(stage.site.api.http);
      const loads = await recordLoads(page, async () => {
        await signInViaUi(page, stage.site.baseUrl, user.request.username, user.password);
        await page.waitForFunction(() => {
          const root = document.querySelector('#__nuxt') as unknown as { __vue_app__: { config: { globalProperties: Record<string, unknown> } } };
          const nuxt = root.__vue_app__.config.globalProperties.$nuxt as { $realtime: { status: { value: string } } };
          return nuxt.$realtime.status.value === 'online';
        });
      });
      const scripts = loads.filter((l) => l.type.includes('javascript'));
      expect(scripts.some((s) => SOCKET_CLIENT_MARKERS.every((m) => s.body.includes(m)))).toBe(true);
      expect(scripts.some((s) => s.body.includes(CHAT_STORE_MARKER))).toBe(true);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('compresses the page, its scripts and styles, and the API answers with brotli or gzip', async () => {
    const anna = await register(stage.site.api.http);
    const boris = await register(stage.site.api.http);
    const chat = await openChat(stage.site.api.http, anna.token, [boris.auth.user.id]);
    for (let i = 0; i < 60; i++) await sendMessage(stage.site.api.http, i % 2 ? anna.token : boris.token, chat.id, `message number ${i} in a long enough conversation`);
    // Signed in once; the chat page is then measured on a cold cache, as on a first visit.
    const signIn = await stage.browser.newContext({ serviceWorkers: 'block' });
    const signInPage = await signIn.newPage();
    await signInViaUi(signInPage, stage.site.baseUrl, anna.request.username, anna.password);
    const storageState = await signIn.storageState();
    await signIn.close();
    const context = await stage.browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block', storageState });
    try {
      const page = await context.newPage();
      const loads = await recordLoads(page, async () => {
        await page.goto(`${stage.site.baseUrl}/?chat=${chat.id}`);
        await page.waitForSelector('[data-testid=message-text]');
      });
      const sizes = await transferOf(page);
      if (process.env.TRANSFER_REPORT) process.stdout.write(`chat page, cold cache: ${JSON.stringify(sizes)}\n`);

      const big = loads.filter((l) => l.body.length >= 1024);
      expect(big.some((l) => l.type.includes('html'))).toBe(true);
      expect(big.some((l) => l.type.includes('javascript'))).toBe(true);
      expect(big.some((l) => l.type.includes('css'))).toBe(true);
      expect(big.some((l) => l.url.includes('/api/'))).toBe(true);
      const plain = big.filter((l) => l.encoding !== 'br' && l.encoding !== 'gzip').map((l) => `${l.url} (${l.type})`);
      expect(plain).toEqual([]);
      expect(sizes.encoded).toBeLessThan(sizes.decoded / 2);
    } finally {
      await context.close();
    }
  }, 120_000);
});
