import type { BrowserContext, Page } from 'playwright-core';
import type { AuthView } from '@app/contracts';
import { useSiteAndBrowser } from './support/servers.js';
import { newUser, open, signInViaUi } from './support/web.js';

const stage = useSiteAndBrowser();

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}

interface Watched {
  context: BrowserContext;
  page: Page;
  /** securitypolicyviolation events and Chromium's CSP console errors, from every page of the context. */
  violations(): Promise<Array<Violation | string>>;
}

/** A browser context that records every CSP violation, installed before any page script runs. */
async function watched(): Promise<Watched> {
  const context = await stage.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    const seen: Violation[] = [];
    (window as unknown as { __csp: Violation[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample }));
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) consoleErrors.push(m.text());
  });
  return {
    context,
    page,
    async violations() {
      const inPage = await page.evaluate(() => (window as unknown as { __csp?: Violation[] }).__csp ?? []);
      return [...inPage, ...consoleErrors];
    },
  };
}

async function register(displayName: string): Promise<{ auth: AuthView; username: string; password: string }> {
  const req = newUser({ displayName });
  const res = await stage.site.api.http.post('/api/auth/register').send(req);
  if (res.status !== 201) throw new Error(`register failed: ${res.status}`);
  return { auth: res.body as AuthView, username: req.username, password: req.password };
}

/** True once Vue has hydrated the server-rendered page. */
function hydrated(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const root = document.querySelector('#__nuxt') as unknown as { __vue_app__?: { config: { globalProperties: { $nuxt?: { isHydrating?: boolean } } } } } | null;
    const nuxt = root?.__vue_app__?.config.globalProperties.$nuxt;
    return nuxt !== undefined && nuxt.isHydrating === false;
  });
}

describe('security headers on server-rendered pages', () => {
  it('sends a nonce CSP, nosniff and a referrer policy on the sign-in page, with the nonce on every Nuxt script', async () => {
    const res = await fetch(`${stage.site.baseUrl}/login`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "default-src 'self'"]) expect(csp).toContain(directive);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    // Socket.IO goes through the site's own origin (the web server relays it).
    expect(csp).toMatch(new RegExp(`connect-src [^;]*'self'[^;]* ws://${new URL(stage.site.baseUrl).host}`));
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('x-powered-by')).toBeNull();
    const html = await res.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    const again = await fetch(`${stage.site.baseUrl}/login`);
    expect(again.headers.get('content-security-policy')).not.toBe(csp);
  });

  it('sends no Referer from the reset-password page, whose URL carries the token', async () => {
    const res = await fetch(`${stage.site.baseUrl}/reset-password?token=secret-token-value`);
    expect(res.status).toBe(200);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('marks personalised pages Vary: Cookie beside their private, no-store caching', async () => {
    const u = await register('Vary Person');
    const login = await stage.site.api.http.post('/api/auth/login').send({ login: u.username, password: u.password }).expect(200);
    const cookie = (login.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    const res = await fetch(`${stage.site.baseUrl}/`, { headers: { cookie }, redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('vary')?.split(/,\s*/)).toContain('Cookie');
  });
});

describe('the app under its CSP', () => {
  it('signs in, hydrates, lists chats and talks live with zero CSP violations', async () => {
    const anna = await register('Anna Policy');
    const boris = await register('Boris Policy');
    const a = await watched();
    const b = await watched();
    try {
      await open(a.page, stage.site.baseUrl, '/login');
      expect(await hydrated(a.page)).toBe(true);
      await signInViaUi(a.page, stage.site.baseUrl, anna.username, anna.password);
      await signInViaUi(b.page, stage.site.baseUrl, boris.username, boris.password);
      await a.page.waitForSelector('[data-testid=new-chat]');
      expect(await hydrated(a.page)).toBe(true);

      // The conversation, server-rendered on a full page load, then a message sent live over the socket.
      await a.page.goto(`${stage.site.baseUrl}/?with=${boris.auth.user.id}`);
      await a.page.waitForURL(/\?chat=/);
      const chatId = new URL(a.page.url()).searchParams.get('chat')!;
      await open(a.page, stage.site.baseUrl, `/?chat=${chatId}`);
      await a.page.waitForSelector('[data-testid=composer-input]');
      expect(await hydrated(a.page)).toBe(true);
      await a.page.fill('[data-testid=composer-input]', 'Hello under a strict policy');
      await a.page.press('[data-testid=composer-input]', 'Enter');
      const item = b.page.locator(`[data-testid=chat-item][data-chat-id="${chatId}"]`);
      await item.waitFor({ timeout: 15_000 });
      await item.click();
      await b.page.locator('[data-testid=message-text]', { hasText: 'Hello under a strict policy' }).waitFor({ timeout: 15_000 });

      // The emoji picker (a web component that loads its data and styles at run time).
      await a.page.click('[data-testid=emoji-button]');
      await a.page.locator('emoji-picker').waitFor();
      await a.page.waitForTimeout(1000);

      expect(await a.violations()).toEqual([]);
      expect(await b.violations()).toEqual([]);

      // The watch itself works: an injected inline script without the nonce is blocked and reported.
      await a.page.evaluate(() => {
        const s = document.createElement('script');
        s.textContent = 'window.__injected = true';
        document.body.append(s);
      });
      await a.page.waitForFunction(() => ((window as unknown as { __csp: unknown[] }).__csp.length > 0));
      expect(await a.page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
      expect(await a.violations()).toContainEqual(expect.objectContaining({ directive: expect.stringMatching(/^script-src/) }));
    } finally {
      await Promise.all([a.context.close(), b.context.close()]);
    }
  }, 90_000);
});
