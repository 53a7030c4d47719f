import type { BrowserContext, Page } from 'playwright-core';
import type { AuthView, ChatView } from '@app/contracts';
import { openChat, sendMessage } from '../apps/api/test/support/chats.js';
import { useSiteAndBrowser } from './support/servers.js';
import { newUser, open, signInViaUi } from './support/web.js';

const stage = useSiteAndBrowser({ RATE_SEND_PER_MINUTE: '2000' });

interface Person {
  auth: AuthView;
  token: string;
  context: BrowserContext;
  page: Page;
}

async function person(displayName: string, signIn = true): Promise<Person> {
  const req = newUser({ displayName });
  const res = await stage.site.api.http.post('/api/auth/register').send(req);
  if (res.status !== 201) throw new Error(`register failed: ${res.status}`);
  const auth = res.body as AuthView;
  const context = await stage.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  if (signIn) await signInViaUi(page, stage.site.baseUrl, req.username, req.password);
  return { auth, token: auth.accessToken, context, page };
}

/** Whether the element is inside the visible part of the message list. */
async function onScreen(page: Page, selector: string): Promise<boolean> {
  return page.$eval(selector, (el) => {
    const list = document.querySelector('[data-testid=message-list]')!.getBoundingClientRect();
    const r = el.getBoundingClientRect();
    return r.bottom > list.top && r.top < list.bottom;
  });
}

const INJECTED = '<img src=x onerror="window.__pwned=1"> needle in a haystack';
let anna: Person;
let boris: Person;
let dialog: ChatView;
let target: { id: string; seq: number };

beforeAll(async () => {
  anna = await person('Anna Search');
  boris = await person('Boris Search', false);
  dialog = await openChat(stage.site.api.http, anna.token, [boris.auth.user.id]);
  const first = await sendMessage(stage.site.api.http, anna.token, dialog.id, INJECTED);
  target = { id: first.id, seq: first.seq };
  // Far more than the pages a chat opens with: the result is not loaded until the jump.
  for (let i = 0; i < 220; i += 1) await sendMessage(stage.site.api.http, i % 2 ? anna.token : boris.token, dialog.id, `filler ${i}`);
  await stage.site.api.http.post(`/api/chats/${dialog.id}/read`).set('Authorization', `Bearer ${anna.token}`).send({ seq: 100_000 });
}, 120_000);

afterAll(async () => {
  await anna?.context.close();
  await boris?.context.close();
});

it('searches all chats from the chat list, marks the terms without running markup, and jumps to an old message', async () => {
  const { page } = anna;
  await page.fill('[data-testid=chat-filter]', 'NEEDLE hay');
  const hit = page.locator('[data-testid=message-search-hit]').first();
  await hit.waitFor({ timeout: 15_000 });
  expect(await page.locator('[data-testid=message-search-hit]').count()).toBe(1);
  expect(await hit.locator('[data-testid=message-search-chat]').textContent()).toBe('Boris Search');
  expect(await hit.locator('mark').allTextContents()).toEqual(['needle', 'hay']);
  // The markup is shown as text: no element was made from it, nothing ran.
  expect(await hit.locator('[data-testid=message-search-text]').textContent()).toContain('You: <img src=x onerror="window.__pwned=1"> needle');
  expect(await page.locator('[data-testid=message-search-results] img').count()).toBe(0);

  // The newest messages are loaded, the result is not.
  await hit.click();
  await page.waitForURL((u) => u.searchParams.get('chat') === dialog.id && !u.searchParams.has('at'), { timeout: 15_000 });
  const found = `[data-testid=message][data-message-id="${target.id}"]`;
  await page.waitForSelector(found, { timeout: 15_000 });
  await page.waitForFunction((sel) => {
    const el = document.querySelector(sel);
    const list = document.querySelector('[data-testid=message-list]');
    if (!el || !list) return false;
    const r = el.getBoundingClientRect();
    const l = list.getBoundingClientRect();
    // On screen and highlighted at the same moment (the highlight fades after a second or two).
    return r.bottom > l.top && r.top < l.bottom && el.classList.contains('highlight');
  }, found, { timeout: 15_000, polling: 'raf' });
  expect(await page.locator(`${found} [data-testid=message-text]`).textContent()).toBe(INJECTED);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  // The window around it does not reach the newest message yet.
  expect(await page.locator('[data-testid=message-text]', { hasText: /^filler 219$/ }).count()).toBe(0);

  // A new message meanwhile is not lost: the way back to the newest messages shows it.
  await sendMessage(stage.site.api.http, boris.token, dialog.id, 'fresh while away');
  await page.click('[data-testid=scroll-bottom]');
  const fresh = page.locator('[data-testid=message-text]', { hasText: /^fresh while away$/ });
  await fresh.waitFor({ timeout: 15_000 });
  await page.waitForFunction(() => {
    const list = document.querySelector('[data-testid=message-list]')!;
    return list.scrollHeight - list.scrollTop - list.clientHeight < 150;
  }, undefined, { timeout: 15_000 });
  expect(await onScreen(page, '[data-testid=message-text] >> text="fresh while away"')).toBe(true);
  expect(await page.locator('[data-testid=message-text]', { hasText: /^filler 219$/ }).count()).toBe(1);
});

it('searches inside one chat from its header and jumps to each result', async () => {
  const { page } = anna;
  await page.goto(`${stage.site.baseUrl}/?chat=${dialog.id}`);
  await page.waitForSelector('[data-testid=message]');
  await page.click('[data-testid=conversation-search]');
  await page.fill('[data-testid=chat-search-input]', 'filler 3');
  await page.waitForSelector('[data-testid=chat-search-count]', { timeout: 15_000 });
  const hits = page.locator('[data-testid=message-search-hit]');
  // "filler" and a word starting with "3": 3, 30–39, 130–139… newest first.
  expect(await hits.count()).toBeGreaterThan(5);
  expect(await hits.first().locator('[data-testid=message-search-chat]').count()).toBe(0);
  const texts = await hits.locator('[data-testid=message-search-text]').allTextContents();
  expect(texts.every((x) => /filler 3/.test(x))).toBe(true);
  const oldest = await hits.last().getAttribute('data-message-id');
  // Keyboard: ↓ from the box into the results, Enter opens one.
  await page.press('[data-testid=chat-search-input]', 'ArrowDown');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('message-search-hit');
  await hits.last().click();
  const sel = `[data-testid=message][data-message-id="${oldest}"]`;
  await page.waitForSelector(`${sel}.highlight`, { timeout: 15_000 });
  expect(await onScreen(page, sel)).toBe(true);
  // Esc closes the results, a second Esc the search.
  await page.focus('[data-testid=chat-search-input]');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid=chat-search]', { state: 'detached' });
}, 90_000);

it('says when nothing matches', async () => {
  const { page } = anna;
  // Typed once the page is interactive: before hydration the box is not wired to search yet.
  await open(page, stage.site.baseUrl, '/');
  await page.fill('[data-testid=chat-filter]', 'xylophoneqq');
  await page.waitForSelector('[data-testid=message-search-empty]', { timeout: 15_000 });
});
