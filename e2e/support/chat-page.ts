import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import type { AuthView } from '@app/contracts';
import type { Stage } from './servers.js';
import { newUser, signInViaUi } from './web.js';

/** Set CHAT_SCREENSHOTS=<dir> to keep desktop and 360 px screenshots in light and dark. */
export const SHOTS = process.env.CHAT_SCREENSHOTS;

export interface Person {
  auth: AuthView;
  password: string;
  context: BrowserContext;
  page: Page;
}

/**
 * Cuts one person's page off the API (REST through the site, and the socket) while `cut` is on.
 * Installed before the page loads: Playwright routes WebSockets through a script it adds to pages.
 */
export interface NetworkSwitch {
  cut: boolean;
}

export async function person(stage: Stage, displayName: string, net?: NetworkSwitch): Promise<Person> {
  const req = newUser({ displayName });
  const res = await stage.site.api.http.post('/api/auth/register').send(req);
  if (res.status !== 201) throw new Error(`register failed: ${res.status}`);
  const context = await stage.browser.newContext({ viewport: { width: 1280, height: 800 } });
  if (net) {
    const api = (url: URL) => url.pathname.startsWith('/api/') || url.pathname.startsWith('/socket.io/');
    await context.route(api, (route) => (net.cut ? route.abort('internetdisconnected') : route.continue()));
    await context.routeWebSocket(api, (ws) => (net.cut ? ws.close() : ws.connectToServer()));
  }
  const page = await context.newPage();
  await signInViaUi(page, stage.site.baseUrl, req.username, req.password);
  return { auth: res.body as AuthView, password: req.password, context, page };
}

export interface Row {
  text: string | null;
  deleted: boolean;
  state: string | null;
  edited: boolean;
  reactions: string[];
}

/** Every message text met while scrolling the (virtualised) list from top to bottom, in order. */
export async function scrolledThrough(page: Page): Promise<string[]> {
  const list = page.locator('[data-testid=message-list]');
  await list.evaluate((el) => el.scrollTo({ top: 0 }));
  const seen: string[] = [];
  for (let i = 0; i < 400; i += 1) {
    await page.waitForTimeout(30);
    const step = await list.evaluate((el) => ({
      texts: [...el.querySelectorAll('[data-testid=message-text]')].map((t) => t.textContent ?? ''),
      end: el.scrollTop + el.clientHeight >= el.scrollHeight - 2,
    }));
    for (const text of step.texts) if (!seen.includes(text)) seen.push(text);
    if (step.end) break;
    await list.evaluate((el) => el.scrollBy({ top: el.clientHeight / 2 }));
  }
  return seen;
}

/** The conversation as the DOM shows it, top to bottom. */
export function rows(page: Page): Promise<Row[]> {
  return page.$$eval('[data-testid=message-list] [data-testid=message]', (els) =>
    els.map((el) => ({
      text: el.querySelector('[data-testid=message-text]')?.textContent ?? null,
      deleted: el.querySelector('[data-testid=message-deleted]') !== null,
      state: (el as HTMLElement).dataset.state ?? null,
      edited: el.querySelector('[data-testid=message-edited]') !== null,
      reactions: [...el.querySelectorAll('[data-testid=reaction]')].map((r) => (r.textContent ?? '').replace(/\s+/g, '')),
    })),
  );
}

export const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
export const message = (page: Page, text: string) =>
  page.locator('[data-testid=message]').filter({ has: page.locator('[data-testid=message-text]', { hasText: exactly(text) }) });

export async function send(page: Page, text: string): Promise<void> {
  await page.fill('[data-testid=composer-input]', text);
  await page.press('[data-testid=composer-input]', 'Enter');
}

export async function waitRows(page: Page, check: (r: Row[]) => boolean, what: string, ms = 15_000): Promise<Row[]> {
  const until = Date.now() + ms;
  let last: Row[] = [];
  while (Date.now() < until) {
    last = await rows(page);
    if (check(last)) return last;
    await page.waitForTimeout(100);
  }
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/failed-${what.replace(/\W+/g, '-')}.png` });
  throw new Error(`timed out waiting for ${what}; rows: ${JSON.stringify(last)}`);
}

/** Drops the socket's transport as a lost network would (Socket.IO then reconnects by itself). */
export function dropSocket(page: Page): Promise<void> {
  return page.evaluate(() => {
    const root = document.querySelector('#__nuxt') as unknown as { __vue_app__: { config: { globalProperties: Record<string, unknown> } } };
    const nuxt = root.__vue_app__.config.globalProperties.$nuxt as { $realtime: { socket: { io: { engine: { close(): void } } } } };
    nuxt.$realtime.socket.io.engine.close();
  });
}

export async function shoot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}
