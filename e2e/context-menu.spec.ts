import type { BrowserContext, Page } from 'playwright-core';
import type { AuthView, ChatView, LoginRequest } from '@app/contracts';
import { openChat, sendMessage } from '../apps/api/test/support/chats.js';
import { useSiteAndBrowser } from './support/servers.js';
import { newUser, signInViaUi } from './support/web.js';

const stage = useSiteAndBrowser();

const api = () => stage.site.api.http;
let anna: { auth: AuthView; login: LoginRequest };
let boris: AuthView;
let dialog: ChatView;
const contexts: BrowserContext[] = [];

async function annaPage(mobile: boolean): Promise<Page> {
  const context = await stage.browser.newContext(
    mobile ? { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true } : { viewport: { width: 1280, height: 800 } },
  );
  contexts.push(context);
  const page = await context.newPage();
  await signInViaUi(page, stage.site.baseUrl, anna.login.login, anna.login.password);
  await page.goto(`${stage.site.baseUrl}/?chat=${dialog.id}`);
  await page.waitForSelector('[data-testid=message-text] >> text=hello anna');
  return page;
}

const bubble = (page: Page, text: string) =>
  page.locator('[data-testid=message]').filter({ has: page.locator('[data-testid=message-text]', { hasText: new RegExp(`^${text}$`) }) });
const menu = (page: Page) => page.locator('[data-testid=message-context-menu]');
const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

beforeAll(async () => {
  const req = newUser({ displayName: 'Anna Menu' });
  const res = await api().post('/api/auth/register').send(req);
  anna = { auth: res.body as AuthView, login: { login: req.username, password: req.password } };
  boris = (await api().post('/api/auth/register').send(newUser({ displayName: 'Boris Menu' }))).body as AuthView;
  dialog = await openChat(api(), anna.auth.accessToken, [boris.user.id]);
  await sendMessage(api(), boris.accessToken, dialog.id, 'hello anna');
  await sendMessage(api(), anna.auth.accessToken, dialog.id, 'my first');
  await sendMessage(api(), anna.auth.accessToken, dialog.id, 'my second');
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
});

it('opens at the pointer on right-click, works from the keyboard, replies, reacts, deletes, and Esc closes it', async () => {
  const page = await annaPage(false);
  const theirs = bubble(page, 'hello anna');
  const box = (await theirs.locator('.bubble').boundingBox())!;
  await page.mouse.click(box.x + 20, box.y + 10, { button: 'right' });
  await menu(page).waitFor();
  const at = (await menu(page).boundingBox())!;
  expect(Math.abs(at.x - (box.x + 20))).toBeLessThan(4);
  // Below the pointer when it fits, else flipped to end at it (the last messages sit near the bottom).
  const fitsBelow = box.y + 10 + at.height <= 800 - 8;
  expect(Math.abs(at.y - (fitsBelow ? box.y + 10 : box.y + 10 - at.height))).toBeLessThan(4);
  // Someone else's message: reply, forward, select, pin (either person may in a dialog) and copy, no edit or delete.
  expect(await menu(page).locator('[data-testid^=context-]:not([data-testid=context-reaction]):not([data-testid=context-more-reactions])').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(['context-reply', 'context-forward', 'context-select', 'context-pin', 'context-copy']);
  expect(await focused(page)).toBe('context-reply');
  await page.keyboard.press('ArrowDown');
  expect(await focused(page)).toBe('context-forward');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await menu(page).waitFor({ state: 'detached' });
  expect(await page.textContent('[data-testid=composer-context]')).toBe('hello anna');
  // Esc in the composer cancels the reply.
  await page.focus('[data-testid=composer-input]');
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid=composer-context]', { state: 'detached' });

  // From the keyboard: Shift+F10 on a message's button opens it; Esc closes it and gives the focus back.
  await bubble(page, 'my first').locator('[data-testid=message-menu]').focus();
  await page.keyboard.press('Shift+F10');
  await menu(page).waitFor();
  expect(await menu(page).locator('[data-testid=context-edit]').count()).toBe(1);
  await page.keyboard.press('End');
  expect(await focused(page)).toBe('context-delete');
  await page.keyboard.press('Escape');
  await menu(page).waitFor({ state: 'detached' });
  expect(await focused(page)).toBe('message-menu');

  // React from the menu.
  await bubble(page, 'my first').locator('.bubble').click({ button: 'right' });
  await menu(page).locator('[data-testid=context-reaction][data-emoji="👍"]').click();
  await bubble(page, 'my first').locator('[data-testid=reaction][data-emoji="👍"]').waitFor({ timeout: 15_000 });

  // Delete asks once more, then leaves a tombstone.
  await bubble(page, 'my first').locator('.bubble').click({ button: 'right' });
  await menu(page).locator('[data-testid=context-delete]').click();
  expect(await menu(page).locator('[data-testid=context-delete]').textContent()).toContain('Delete for everyone?');
  await menu(page).locator('[data-testid=context-delete]').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=message-deleted]').length === 1, undefined, { timeout: 15_000 });

  // A click elsewhere closes it too.
  await bubble(page, 'my second').locator('.bubble').click({ button: 'right' });
  await menu(page).waitFor();
  await page.mouse.click(5, 5);
  await menu(page).waitFor({ state: 'detached' });
});

it('edits my last message with ArrowUp in an empty composer; Esc cancels the edit', async () => {
  const page = await annaPage(false);
  await page.focus('[data-testid=composer-input]');
  await page.keyboard.press('ArrowUp');
  await page.waitForSelector('[data-testid=composer-context]');
  expect(await page.inputValue('[data-testid=composer-input]')).toBe('my second');
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid=composer-context]', { state: 'detached' });
  expect(await page.inputValue('[data-testid=composer-input]')).toBe('');

  // ArrowUp with text in the box moves the caret, it does not start an edit.
  await page.fill('[data-testid=composer-input]', 'draft');
  await page.keyboard.press('ArrowUp');
  expect(await page.locator('[data-testid=composer-context]').count()).toBe(0);
  await page.fill('[data-testid=composer-input]', '');

  await page.keyboard.press('ArrowUp');
  await page.waitForSelector('[data-testid=composer-context]');
  await page.fill('[data-testid=composer-input]', 'my second, edited');
  await page.keyboard.press('Enter');
  await bubble(page, 'my second, edited').locator('[data-testid=message-edited]').waitFor({ timeout: 15_000 });
});

it('opens on a long press on a touch screen, and not on a tap', async () => {
  const page = await annaPage(true);
  const cdp = await page.context().newCDPSession(page);
  const box = (await bubble(page, 'hello anna').locator('.bubble').boundingBox())!;
  const point = { x: Math.round(box.x + 20), y: Math.round(box.y + box.height / 2) };
  const touch = async (holdMs: number): Promise<void> => {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
    await page.waitForTimeout(holdMs);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  };
  await touch(60);
  await page.waitForTimeout(800);
  expect(await menu(page).count()).toBe(0);
  await touch(900);
  await menu(page).waitFor({ timeout: 5000 });
  const m = (await menu(page).boundingBox())!;
  // Fully on a 360 px screen.
  expect(m.x).toBeGreaterThanOrEqual(0);
  expect(m.x + m.width).toBeLessThanOrEqual(360);
  await menu(page).locator('[data-testid=context-reply]').tap();
  await menu(page).waitFor({ state: 'detached' });
  expect(await page.textContent('[data-testid=composer-context]')).toBe('hello anna');
});
