import type { BrowserContext, Page } from 'playwright-core';
import { useSiteAndBrowser } from './support/servers.js';
import { newUser, registerViaUi, signOutViaUi } from './support/web.js';

const stage = useSiteAndBrowser();

async function withPage<T>(fn: (page: Page, context: BrowserContext) => Promise<T>, locale = 'en-US'): Promise<T> {
  const context = await stage.browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
  try {
    return await fn(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

/** Loads a URL and follows what the site does, failing on a redirect loop instead of hanging. */
async function load(page: Page, path: string): Promise<{ status: number; html: string }> {
  const res = await page.goto(`${stage.site.baseUrl}${path}`);
  if (!res) throw new Error(`no response for ${path}`);
  await page.waitForLoadState('networkidle');
  return { status: res.status(), html: await res.text() };
}

describe('pages that do not exist', () => {
  it('answers 404 with a page of its own when signed in, in English, with a way home', async () => {
    await withPage(async (page) => {
      await registerViaUi(page, stage.site.baseUrl, newUser());
      const { status, html } = await load(page, '/no-such-page');
      expect(status).toBe(404);
      expect(html).toContain('data-testid="not-found"');
      expect(new URL(page.url()).pathname).toBe('/no-such-page');
      await expect(page.textContent('[data-testid=not-found] h1')).resolves.toBe('Page not found');
      await Promise.all([page.waitForURL(`${stage.site.baseUrl}/`), page.click('[data-testid=not-found-home]')]);
      await page.waitForSelector('[data-testid=chat-list-pane]');
    });
  }, 90_000);

  it('answers 404 to a signed-out visitor in Russian, and signing in from there does not loop', async () => {
    const user = newUser();
    await withPage(async (page, context) => {
      await registerViaUi(page, stage.site.baseUrl, user);
      await signOutViaUi(page, stage.site.baseUrl);
      expect((await context.cookies()).some((c) => c.name === 'msg_refresh')).toBe(false);

      const { status } = await load(page, '/nested/missing/page');
      expect(status).toBe(404);
      await expect(page.textContent('[data-testid=not-found] h1')).resolves.toBe('Страница не найдена');
      // A deep link to a missing page once sent the visitor to sign in and back, forever.
      const { status: viaLogin } = await load(page, `/login?redirect=${encodeURIComponent('/nested/missing/page')}`);
      expect(viaLogin).toBe(200);
      await page.fill('[data-testid=login-input]', user.username);
      await page.fill('[data-testid=password-input]', user.password);
      await Promise.all([page.waitForURL(`${stage.site.baseUrl}/nested/missing/page`), page.click('[data-testid=login-submit]')]);
      await page.waitForSelector('[data-testid=not-found]');
      const again = await load(page, '/nested/missing/page');
      expect(again.status).toBe(404);
    }, 'ru-RU');
  });
});

describe('profiles of usernames with a dot', () => {
  it('opens /u/<name.with.dot> directly and after a reload, rendered signed in by the server', async () => {
    const owner = newUser({ username: `bob.b${Date.now().toString(36)}` });
    const viewer = newUser();
    await withPage(async (page) => {
      await registerViaUi(page, stage.site.baseUrl, owner);
      await signOutViaUi(page, stage.site.baseUrl);
      await registerViaUi(page, stage.site.baseUrl, viewer);
      const first = await load(page, `/u/${owner.username}`);
      expect(first.status).toBe(200);
      expect(new URL(page.url()).pathname).toBe(`/u/${owner.username}`);
      expect(first.html).toContain(owner.displayName);
      const reloaded = await page.reload();
      expect(reloaded?.status()).toBe(200);
      expect(new URL(page.url()).pathname).toBe(`/u/${owner.username}`);
      expect((await reloaded?.text()) ?? '').toContain(owner.displayName);
    });
  }, 90_000);
});

describe('signing out', () => {
  it('lands on the sign-in page every time, even twice within seconds', async () => {
    const user = newUser();
    await withPage(async (page) => {
      await registerViaUi(page, stage.site.baseUrl, user);
      await signOutViaUi(page, stage.site.baseUrl);
      await page.fill('[data-testid=login-input]', user.username);
      await page.fill('[data-testid=password-input]', user.password);
      await Promise.all([page.waitForURL(`${stage.site.baseUrl}/`), page.click('[data-testid=login-submit]')]);
      await page.waitForSelector('[data-testid=chat-list-pane]');
      await signOutViaUi(page, stage.site.baseUrl);
      await page.waitForSelector('[data-testid=login-form]');
      await expect(page.isVisible('[data-testid=app-shell]')).resolves.toBe(false);
    });
  }, 90_000);

  it('loads the sign-in page once, though the live connection hears of the sign-out too', async () => {
    await withPage(async (page) => {
      const connected = new Promise<void>((resolve) => {
        page.on('websocket', (ws) => ws.on('framereceived', (f) => {
          if (String(f.payload).startsWith('40')) resolve();
        }));
      });
      await registerViaUi(page, stage.site.baseUrl, newUser());
      await connected;
      const loads: string[] = [];
      page.on('request', (r) => {
        if (r.isNavigationRequest() && r.frame() === page.mainFrame()) loads.push(new URL(r.url()).pathname);
      });
      await signOutViaUi(page, stage.site.baseUrl);
      await page.waitForSelector('[data-testid=login-form]');
      // A second load would follow the first within milliseconds; a second is ample to see it.
      await page.waitForTimeout(1000);
      expect(loads).toEqual(['/login']);
    });
  }, 90_000);
});
