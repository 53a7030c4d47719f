import type { BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { ACCESS_COOKIE, REFRESH_COOKIE, type RegisterRequest } from '@app/contracts';
import { useSiteAndBrowser } from './support/servers.js';
import { newUser, registerViaUi } from './support/web.js';

const stage = useSiteAndBrowser();

interface SessionRow {
  id: string;
  tokens: number;
  revoked: string | null;
}

/** The user's one session and how many refresh tokens it has been issued so far. */
async function sessionOf(username: string): Promise<SessionRow> {
  const db = stage.site.api.app.get(DataSource);
  const rows = (await db.query(
    `SELECT s.id, s.revoked_reason AS revoked, (SELECT count(*)::int FROM refresh_tokens t WHERE t.session_id = s.id) AS tokens
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = $1`,
    [username],
  )) as SessionRow[];
  if (rows.length !== 1 || !rows[0]) throw new Error(`expected one session for ${username}, found ${rows.length}`);
  return rows[0];
}

async function withUser<T>(fn: (page: Page, context: BrowserContext, user: RegisterRequest) => Promise<T>): Promise<T> {
  const context = await stage.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const user = newUser();
    await registerViaUi(page, stage.site.baseUrl, user);
    await page.waitForSelector('[data-testid=chat-list-pane]');
    return await fn(page, context, user);
  } finally {
    await context.close();
  }
}

/** Loads a page as a fresh document; '' when the server rendered it signed in, else what it did. */
async function renderSignedIn(page: Page, path: string, user: RegisterRequest): Promise<string> {
  const res = await page.goto(`${stage.site.baseUrl}${path}`, { waitUntil: 'domcontentloaded' });
  const html = (await res?.text()) ?? '';
  if (res?.status() === 200 && html.includes('data-testid="app-shell"') && html.includes(user.displayName)) return '';
  return `${path}: ${res?.status() ?? 'no response'} at ${page.url()}, ${html.length} bytes`;
}

const renderedSignedIn = async (page: Page, path: string, user: RegisterRequest): Promise<boolean> =>
  (await renderSignedIn(page, path, user)) === '';

async function cookie(context: BrowserContext, name: string): Promise<string | undefined> {
  return (await context.cookies()).find((c) => c.name === name)?.value;
}

/** The access token has expired (the browser drops the cookie when it does). */
const expireAccess = (context: BrowserContext): Promise<void> => context.clearCookies({ name: ACCESS_COOKIE });

describe('server-rendered pages and the refresh token', () => {
  it('renders page after page signed in without rotating the refresh token while the access token is valid', async () => {
    await withUser(async (page, context, user) => {
      expect(await cookie(context, ACCESS_COOKIE)).toBeTruthy();
      const before = await sessionOf(user.username);
      const refresh = await cookie(context, REFRESH_COOKIE);
      const paths = ['/', '/settings/profile', '/friends', '/search', '/', '/settings/privacy', `/u/${user.username}`, '/'];
      for (const path of paths) expect(await renderedSignedIn(page, path, user)).toBe(true);
      const after = await sessionOf(user.username);
      expect(after.tokens).toBe(before.tokens);
      expect(after.revoked).toBeNull();
      expect(await cookie(context, REFRESH_COOKIE)).toBe(refresh);
    });
  }, 90_000);

  it('keeps the session alive when ten pages load at once after the access token expired, with one rotation', async () => {
    await withUser(async (_page, context, user) => {
      const before = await sessionOf(user.username);
      await expireAccess(context);
      const pages = await Promise.all(Array.from({ length: 10 }, () => context.newPage()));
      const results = await Promise.all(pages.map((p) => renderSignedIn(p, '/', user)));
      expect(results.filter(Boolean)).toEqual([]);
      const after = await sessionOf(user.username);
      expect(after.revoked).toBeNull();
      expect(after.tokens).toBe(before.tokens + 1);
      // The next load uses the renewed access cookie; later rotations work from the new refresh cookie.
      expect(await renderedSignedIn(pages[0]!, '/friends', user)).toBe(true);
      expect((await sessionOf(user.username)).tokens).toBe(after.tokens);
      await expireAccess(context);
      expect(await renderedSignedIn(pages[1]!, '/', user)).toBe(true);
      const last = await sessionOf(user.username);
      expect(last.tokens).toBe(after.tokens + 1);
      expect(last.revoked).toBeNull();
    });
  }, 90_000);

  it('stays signed in when the rotated cookies never reached the browser, and is handed the same pair again', async () => {
    await withUser(async (page, context, user) => {
      const old = await cookie(context, REFRESH_COOKIE);
      await expireAccess(context);
      expect(await renderedSignedIn(page, '/', user)).toBe(true);
      const rotated = await cookie(context, REFRESH_COOKIE);
      expect(rotated).not.toBe(old);
      const issued = (await sessionOf(user.username)).tokens;

      // The response was lost on a flaky connection: the browser still holds the old cookies.
      const [kept] = (await context.cookies()).filter((c) => c.name === REFRESH_COOKIE);
      await context.clearCookies();
      await context.addCookies([{ ...kept!, value: old! }]);
      expect(await renderedSignedIn(page, '/', user)).toBe(true);
      expect(await cookie(context, REFRESH_COOKIE)).toBe(rotated);
      const after = await sessionOf(user.username);
      expect(after.tokens).toBe(issued);
      expect(after.revoked).toBeNull();
    });
  }, 90_000);
});
