import type { HistoryView, MessageView } from '@app/contracts';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openChat, sendMessage } from '../apps/api/test/support/chats.js';
import { bearer } from '../apps/api/test/support/factories.js';
import { messageRow, openChatPage, person, typeAndSend, type Person } from './support/people.js';
import { useSiteAndBrowser } from './support/servers.js';

const stage = useSiteAndBrowser();
const people: Person[] = [];

async function stored(token: string, chatId: string, text: string): Promise<MessageView | undefined> {
  const page = (await stage.site.api.http.get(`/api/chats/${chatId}/messages`).set(...bearer(token)).expect(200)).body as HistoryView;
  return page.items.find((m) => m.text === text);
}

/** Selects characters [start, end) of the composer's text, as a mouse drag would. */
async function select(page: Page, start: number, end: number): Promise<void> {
  await page.focus('[data-testid=composer-input]');
  await page.evaluate(([s, e]) => (document.querySelector('[data-testid=composer-input]') as HTMLTextAreaElement).setSelectionRange(s!, e!), [start, end]);
}
afterEach(async () => {
  await Promise.all(people.splice(0).map((p) => p.context.close()));
}, 60_000);

it('formats with marks and shortcuts: bold, italic, code, a spoiler shown on click; markup and other schemes stay text', async () => {
  const [ann, bob] = [await person(stage.site, stage.browser, 'Ann Formatter'), await person(stage.site, stage.browser, 'Bob Viewer')];
  people.push(ann, bob);
  const http = stage.site.api.http;
  const chat = await openChat(http, ann.token, [bob.id]);
  await sendMessage(http, ann.token, chat.id, 'hi');
  await openChatPage(stage.site, ann.page, chat.id);
  await openChatPage(stage.site, bob.page, chat.id);

  // Ctrl+B on a selected word wraps it in ** (and Ctrl+I in __).
  const a = ann.page;
  await a.fill('[data-testid=composer-input]', 'make this loud please');
  await a.evaluate(() => (document.querySelector('[data-testid=composer-input]') as HTMLTextAreaElement).setSelectionRange(10, 14));
  await a.keyboard.press('Control+b');
  expect(await a.inputValue('[data-testid=composer-input]')).toBe('make this **loud** please');
  await a.click('[data-testid=composer-send]');

  await typeAndSend(a, 'run `rm -rf **x**` and ||the ending|| with <b>tags</b> javascript:alert(1) https://example.org/a');
  const b = bob.page;
  await messageRow(b, 'make this loud please').locator('.m-bold', { hasText: 'loud' }).waitFor();
  const row = b.locator('[data-testid=message]').filter({ hasText: 'the ending' });
  await row.waitFor();
  expect(await row.locator('.m-code').textContent()).toBe('rm -rf **x**');
  expect(await row.locator('b').count()).toBe(0);
  expect(await row.locator('[data-testid=message-text]').textContent()).toContain('<b>tags</b> javascript:alert(1)');
  const links = row.locator('a.msg-link');
  expect(await links.count()).toBe(1);
  expect(await links.getAttribute('title')).toBe('https://example.org/a');
  // The spoiler hides its text until clicked.
  const spoiler = row.locator('[data-testid=spoiler]');
  expect(await spoiler.evaluate((el) => getComputedStyle(el).color)).toBe('rgba(0, 0, 0, 0)');
  await spoiler.click();
  await row.locator('[data-testid=spoiler]').waitFor({ state: 'detached' });
  // The list's preview drops the marks and keeps the spoiler hidden.
  const preview = b.locator(`[data-testid=chat-item][data-chat-id="${chat.id}"] [data-testid=chat-item-preview]`);
  await preview.filter({ hasText: 'rm -rf' }).waitFor();
  expect(await preview.textContent()).not.toContain('the ending');
  expect(await preview.textContent()).not.toContain('`');

  // Stored as plain text plus ranges, not as the marks typed.
  expect((await stored(bob.token, chat.id, 'make this loud please'))?.entities).toEqual([{ type: 'bold', offset: 10, length: 4 }]);
  const marked = await stored(bob.token, chat.id, 'run rm -rf **x** and the ending with <b>tags</b> javascript:alert(1) https://example.org/a');
  expect(marked?.entities).toEqual([{ type: 'code', offset: 4, length: 12 }, { type: 'spoiler', offset: 21, length: 10 }]);
}, 90_000);

it('formats from the selection toolbar, links a word, and keeps the formatting through an edit', async () => {
  const [ann, bob] = [await person(stage.site, stage.browser, 'Ann Toolbar'), await person(stage.site, stage.browser, 'Bob Reader')];
  people.push(ann, bob);
  const chat = await openChat(stage.site.api.http, ann.token, [bob.id]);
  await openChatPage(stage.site, ann.page, chat.id);
  await openChatPage(stage.site, bob.page, chat.id);
  const a = ann.page;
  const box = '[data-testid=composer-input]';

  await a.fill(box, 'read the docs today');
  expect(await a.isVisible('[data-testid=format-toolbar]')).toBe(false);
  await select(a, 0, 4);
  await a.click('[data-testid=format-italic]');
  expect(await a.inputValue(box)).toBe('__read__ the docs today');
  expect(await a.getAttribute('[data-testid=format-italic]', 'aria-pressed')).toBe('true');
  // A link to a scheme other than http(s) or mailto is refused in place.
  await select(a, 13, 17);
  await a.click('[data-testid=format-link]');
  await a.fill('[data-testid=format-link-input]', 'javascript:alert(1)');
  await a.press('[data-testid=format-link-input]', 'Enter');
  await a.locator('[data-testid=format-toolbar] [role=alert]').waitFor();
  await a.fill('[data-testid=format-link-input]', 'example.org/docs');
  await a.press('[data-testid=format-link-input]', 'Enter');
  expect(await a.inputValue(box)).toBe('__read__ the [docs](https://example.org/docs) today');
  await a.click('[data-testid=composer-send]');

  const row = messageRow(bob.page, 'read the docs today');
  await row.locator('.m-italic', { hasText: 'read' }).waitFor();
  const link = row.locator('a.msg-link');
  expect(await link.textContent()).toBe('docs');
  expect(await link.getAttribute('href')).toBe('https://example.org/docs');
  expect(await link.getAttribute('title')).toBe('https://example.org/docs');
  expect((await stored(bob.token, chat.id, 'read the docs today'))?.entities).toEqual([
    { type: 'italic', offset: 0, length: 4 },
    { type: 'link', offset: 9, length: 4, url: 'https://example.org/docs' },
  ]);

  // ↑ edits the last message with its marks back; the edit keeps them.
  await a.focus(box);
  await a.keyboard.press('ArrowUp');
  await a.waitForFunction((sel) => (document.querySelector(sel) as HTMLTextAreaElement).value.length > 0, box);
  expect(await a.inputValue(box)).toBe('__read__ the [docs](https://example.org/docs) today');
  await a.fill(box, '__read__ the [docs](https://example.org/docs) tonight');
  await a.click('[data-testid=composer-send]');
  const edited = messageRow(bob.page, 'read the docs tonight');
  await edited.locator('.m-italic', { hasText: 'read' }).waitFor();
  expect(await edited.locator('a.msg-link').textContent()).toBe('docs');
}, 90_000);

/** Set LOOK_SCREENSHOTS=<dir> to keep the toolbar and formatted messages at 1280 and 360 px, light and dark, English and Russian. */
const SHOTS = process.env.LOOK_SCREENSHOTS;

it.each([
  [1280, 'en', false],
  [360, 'ru', true],
  [1280, 'ru', true],
  [360, 'en', false],
] as const)('at %i px in %s (dark: %s) the toolbar stays on screen over the composer', async (width, locale, dark) => {
  const ann = await person(stage.site, stage.browser, 'Ann Look', { width, locale, dark });
  const bob = await person(stage.site, stage.browser, 'Bob Look');
  people.push(ann, bob);
  const chat = await openChat(stage.site.api.http, bob.token, [ann.id]);
  await stage.site.api.http.post(`/api/chats/${chat.id}/messages`).set(...bearer(bob.token)).send({
    clientId: `look-${width}-${locale}`,
    text: 'bold italic struck code hidden docs\nconst a = 1;',
    entities: [
      { type: 'bold', offset: 0, length: 4 }, { type: 'italic', offset: 5, length: 6 }, { type: 'strike', offset: 12, length: 6 },
      { type: 'code', offset: 19, length: 4 }, { type: 'spoiler', offset: 24, length: 6 },
      { type: 'link', offset: 31, length: 4, url: 'https://example.org/docs' }, { type: 'pre', offset: 36, length: 12 },
    ],
  }).expect(201);
  const a = ann.page;
  await openChatPage(stage.site, a, chat.id);
  await a.locator('.m-pre').waitFor();
  await a.fill('[data-testid=composer-input]', 'a few words to format here');
  await select(a, 2, 11);
  const bar = a.locator('[data-testid=format-toolbar]');
  await bar.waitFor();
  const box = (await bar.boundingBox())!;
  const composer = (await a.locator('[data-testid=composer]').boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(width);
  expect(box.y + box.height).toBeLessThanOrEqual(composer.y + 1);
  // Every button is a touch target of at least 32 px.
  for (const b of await bar.locator('button').all()) expect((await b.boundingBox())!.height).toBeGreaterThanOrEqual(32);
  if (SHOTS) await a.screenshot({ path: join(SHOTS, `formatting-${width}-${locale}-${dark ? 'dark' : 'light'}.png`) });
  await a.click('[data-testid=format-link]');
  await a.fill('[data-testid=format-link-input]', 'ftp://example.org');
  await a.press('[data-testid=format-link-input]', 'Enter');
  await bar.locator('[role=alert]').waitFor();
  const withError = (await bar.boundingBox())!;
  expect(withError.x + withError.width).toBeLessThanOrEqual(width);
  if (SHOTS) await a.screenshot({ path: join(SHOTS, `formatting-link-${width}-${locale}-${dark ? 'dark' : 'light'}.png`) });
}, 60_000);
