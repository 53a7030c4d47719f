import { openChat, sendMessage } from '../apps/api/test/support/chats.js';
import { messageRow, openChatPage, person, typeAndSend, type Person } from './support/people.js';
import { useSiteAndBrowser } from './support/servers.js';

const stage = useSiteAndBrowser();
const people: Person[] = [];
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
}, 90_000);
