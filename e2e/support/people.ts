import type { Browser, BrowserContext, Page } from 'playwright-core';
import { register, type Registered } from '../../apps/api/test/support/factories.js';
import type { Site } from './servers.js';
import { hydrated, signInViaUi } from './web.js';

/** Someone registered over the API and signed in through the UI in their own browser context. */
export interface Person extends Registered {
  id: string;
  name: string;
  context: BrowserContext;
  page: Page;
}

export interface PersonOptions {
  width?: number;
  height?: number;
  dark?: boolean;
  locale?: 'en' | 'ru';
}

/** Registers `displayName` and signs them in (desktop size unless told otherwise). */
export async function person(site: Site, browser: Browser, displayName: string, opts: PersonOptions = {}): Promise<Person> {
  const user = await register(site.api.http, { displayName, ...(opts.locale ? { locale: opts.locale } : {}) });
  return signIn(site, browser, user, opts);
}

/** Another browser (device) for an existing user. */
export async function signIn(site: Site, browser: Browser, user: Registered, opts: PersonOptions = {}): Promise<Person> {
  const width = opts.width ?? 1280;
  const context = await browser.newContext({
    viewport: { width, height: opts.height ?? (width < 500 ? 740 : 800) },
    colorScheme: opts.dark ? 'dark' : 'light',
    hasTouch: width < 500,
    locale: opts.locale === 'ru' ? 'ru-RU' : 'en-US',
  });
  const page = await context.newPage();
  await signInViaUi(page, site.baseUrl, user.auth.user.username, user.password);
  return { ...user, id: user.auth.user.id, name: user.request.displayName, context, page };
}

/**
 * Opens a chat by URL and waits for its composer, for the page to be interactive (hydrated) and
 * for the history to have taken its first position (it scrolls by itself until then, which
 * closes an open menu).
 */
export async function openChatPage(site: Site, page: Page, chatId: string): Promise<void> {
  await page.goto(`${site.baseUrl}/?chat=${chatId}`);
  await page.waitForSelector('[data-testid=composer-input]');
  // Before hydration a right-click gets the browser's own menu and clicks do nothing.
  await hydrated(page);
  await page.waitForSelector('[data-testid=message-list][aria-busy=false], [data-testid=conversation-missing]');
}

/** Types and sends with the send button (on touch screens Enter is a new line). */
export async function typeAndSend(page: Page, text: string): Promise<void> {
  await page.fill('[data-testid=composer-input]', text);
  await page.click('[data-testid=composer-send]');
}

const exactly = (text: string): RegExp => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/** The message row whose text is exactly `text`. */
export const messageRow = (page: Page, text: string) =>
  page.locator('[data-testid=message]').filter({ has: page.locator('[data-testid=message-text]', { hasText: exactly(text) }) });
