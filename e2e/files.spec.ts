import { readFile } from 'node:fs/promises';
import { openChat, sendMessage } from '../apps/api/test/support/chats.js';
import { messageRow, openChatPage, person, type Person } from './support/people.js';
import { useSiteAndBrowser } from './support/servers.js';

const stage = useSiteAndBrowser();
const people: Person[] = [];
afterEach(async () => {
  await Promise.all(people.splice(0).map((p) => p.context.close()));
}, 60_000);

it('sends a document like a photo; the other person sees its name and size, downloads it, and finds it under Files', async () => {
  const [ann, bob] = [await person(stage.site, stage.browser, 'Ann Sender'), await person(stage.site, stage.browser, 'Bob Downloader')];
  people.push(ann, bob);
  const http = stage.site.api.http;
  const chat = await openChat(http, ann.token, [bob.id]);
  await sendMessage(http, ann.token, chat.id, 'files coming');
  await openChatPage(stage.site, ann.page, chat.id);
  await openChatPage(stage.site, bob.page, chat.id);

  const body = Buffer.from('%PDF-1.7\n% a small document for the test\n');
  const a = ann.page;
  await a.setInputFiles('[data-testid=attach-input]', { name: 'minutes 2026.pdf', mimeType: 'application/pdf', buffer: body });
  await a.locator('[data-testid=upload-item][data-status=done]').waitFor();
  await a.fill('[data-testid=composer-input]', 'the minutes');
  await a.click('[data-testid=composer-send]');

  const b = bob.page;
  const card = messageRow(b, 'the minutes').locator('[data-testid=file-card]');
  await card.waitFor();
  expect(await card.locator('[data-testid=file-name]').textContent()).toBe('minutes 2026.pdf');
  expect(await card.textContent()).toContain(`${body.length} B · PDF`);
  const [download] = await Promise.all([b.waitForEvent('download'), card.click()]);
  expect(download.suggestedFilename()).toBe('minutes 2026.pdf');
  expect((await readFile((await download.path())!)).equals(body)).toBe(true);
  // The chat list says which file it was.
  expect(await b.textContent(`[data-testid=chat-item][data-chat-id="${chat.id}"] [data-testid=chat-item-preview]`)).toContain('the minutes');

  await b.goto(`${stage.site.baseUrl}/chats/${chat.id}/media?kind=file`);
  await b.locator('[data-testid=gallery-file] [data-testid=file-name]', { hasText: 'minutes 2026.pdf' }).waitFor();
  expect(await b.locator('[data-testid=gallery-item]').count()).toBe(0);
}, 90_000);
