import type { BrowserContext, Page } from 'playwright-core';
import { useSiteAndBrowser } from './support/servers.js';
import { newUser, open, registerViaUi, signInViaUi, signOutViaUi } from './support/web.js';

const stage = useSiteAndBrowser();


async function withPage<T>(fn: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
  const context = await stage.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    return await fn(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

const themeOf = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme);

describe('signing up, out and in', () => {
  it('registers, signs out, signs in, stays signed in across a server-rendered reload and changes the theme', async () => {
    const user = newUser();
    await withPage(async (page) => {
      const base = stage.site.baseUrl;
      await registerViaUi(page, base, user);
      await page.waitForSelector('[data-testid=chat-list-empty]');
      expect(await page.getAttribute('[data-testid=nav-profile]', 'title')).toBe(user.displayName);

      await signOutViaUi(page, base);
      // Signed out, the home page redirects on the server.
      const home = await page.goto(`${base}/`);
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(home?.ok()).toBe(true);

      await signInViaUi(page, base, user.username, user.password);
      expect(new URL(page.url()).pathname).toBe('/');

      // The first HTML response of a reload is already the signed-in page.
      const reloaded = await page.reload();
      const html = (await reloaded?.text()) ?? '';
      expect(html).toContain(user.displayName);
      expect(html).toContain('data-testid="chat-list-pane"');
      expect(reloaded?.headers()['cache-control']).toMatch(/no-store/);

      await page.click('[data-testid=nav-settings]');
      await page.click('[data-testid=settings-nav-appearance]');
      await page.waitForSelector('[data-testid=settings-appearance]');
      const next = (await themeOf(page)) === 'dark' ? 'light' : 'dark';
      await page.check(`[data-testid=theme-${next}]`, { force: true });
      await page.waitForFunction((t) => document.documentElement.dataset.theme === t, next);
      await page.waitForSelector('[data-testid=appearance-status]:has-text("Saved")');

      // The saved theme is rendered by the server on the next load.
      const again = await page.reload();
      expect((await again?.text()) ?? '').toMatch(new RegExp(`<html[^>]*data-theme="${next}"`));
    });
  });

  it('signs in by e-mail and returns to the page that asked for it', async () => {
    const user = newUser();
    await withPage(async (page, context) => {
      await registerViaUi(page, stage.site.baseUrl, user);
      await context.clearCookies();
      await open(page, stage.site.baseUrl, '/settings/privacy');
      expect(new URL(page.url()).searchParams.get('redirect')).toBe('/settings/privacy');
      await page.fill('[data-testid=login-input]', user.email);
      await page.fill('[data-testid=password-input]', user.password);
      await Promise.all([page.waitForURL(`${stage.site.baseUrl}/settings/privacy`), page.click('[data-testid=login-submit]')]);
      await page.waitForSelector('[data-testid=settings-privacy]');
    });
  });

  it('shows the API field errors next to the fields on registration', async () => {
    const taken = newUser();
    await withPage(async (page) => {
      await registerViaUi(page, stage.site.baseUrl, taken);
      await signOutViaUi(page, stage.site.baseUrl);
      await open(page, stage.site.baseUrl, '/register');
      await page.fill('[data-testid=username-input]', taken.username);
      await page.fill('[data-testid=email-input]', `other-${taken.email}`);
      await page.fill('[data-testid=display-name-input]', 'Someone Else');
      await page.fill('[data-testid=password-input]', taken.password);
      await page.click('[data-testid=register-submit]');
      const error = await page.waitForSelector('[data-testid=username-input-error]');
      expect((await error.textContent())?.trim()).not.toBe('');
      expect(await page.getAttribute('[data-testid=username-input]', 'aria-invalid')).toBe('true');
      expect(new URL(page.url()).pathname).toBe('/register');
    });
  });

  it('shows one pane at a time on a 360 px wide screen', async () => {
    const user = newUser();
    await withPage(async (page) => {
      await registerViaUi(page, stage.site.baseUrl, user);
      await page.setViewportSize({ width: 360, height: 740 });
      await open(page, stage.site.baseUrl, '/');
      expect(await page.isVisible('[data-testid=chat-list-pane]')).toBe(true);
      expect(await page.isVisible('[data-testid=conversation-pane]')).toBe(false);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(360);

      await open(page, stage.site.baseUrl, '/?chat=placeholder');
      expect(await page.isVisible('[data-testid=chat-list-pane]')).toBe(false);
      expect(await page.isVisible('[data-testid=conversation-pane]')).toBe(true);
      await page.click('[data-testid=conversation-back]');
      await page.waitForSelector('[data-testid=chat-list-pane]', { state: 'visible' });
    });
  });
});

describe('installable app', () => {
  it('installs an offline shell: without a network a page shows the offline screen, and comes back by itself', async () => {
    await withPage(async (page, context) => {
      const base = stage.site.baseUrl;
      const manifest = (await (await page.request.get(`${base}/manifest.webmanifest`)).json()) as Record<string, unknown>;
      expect(manifest).toMatchObject({ display: 'standalone', start_url: '/' });

      await open(page, base, '/login');
      await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', undefined, { timeout: 10_000 });

      await context.setOffline(true);
      await page.reload({ waitUntil: 'domcontentloaded' });
      await page.waitForSelector('[data-testid=offline-shell]', { timeout: 10_000 });
      expect(await page.textContent('h1')).toBe('You are offline');
      await page.waitForFunction(() => document.readyState === 'complete');

      // Back online, the offline screen reloads into the app.
      await context.setOffline(false);
      await page.waitForSelector('[data-testid=login-input]', { timeout: 10_000 });
      expect(new URL(page.url()).pathname).toBe('/login');
    });
  });
});
