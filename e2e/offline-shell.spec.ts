import { useSiteAndBrowser } from './support/servers.js';

const stage = useSiteAndBrowser();

describe('the offline page', () => {
  it('is shown without a network, with its icon loaded from the service worker', async () => {
    const context = await stage.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      await page.goto(`${stage.site.baseUrl}/login`);
      // The service worker installs after the first load and takes over the next one.
      await page.waitForFunction(async () => Boolean((await navigator.serviceWorker.ready).active), null, { timeout: 20_000 });
      await page.reload();
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });

      // As on a later visit: nothing in the browser's HTTP cache, only what the worker keeps.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.clearBrowserCache');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await context.setOffline(true);
      await page.goto(`${stage.site.baseUrl}/`).catch(() => null);
      await page.waitForSelector('[data-testid=offline-shell]');
      await page.waitForFunction(() => document.querySelector<HTMLImageElement>('[data-testid=offline-shell] img')?.complete === true);
      const icon = await page.$eval('[data-testid=offline-shell] img', (img) => ({ src: (img as HTMLImageElement).src, width: (img as HTMLImageElement).naturalWidth }));
      expect(icon.src).toBe(`${stage.site.baseUrl}/icon.svg`);
      expect(icon.width).toBeGreaterThan(0);
    } finally {
      await context.close();
    }
  }, 90_000);
});
