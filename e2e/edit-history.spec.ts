import { openChat, sendMessage } from '../apps/api/test/support/chats.js';
import { bearer } from '../apps/api/test/support/factories.js';
import { messageRow, openChatPage, person, type Person } from './support/people.js';
import { useSiteAndBrowser } from './support/servers.js';

const stage = useSiteAndBrowser();
const people: Person[] = [];
afterEach(async () => {
  await Promise.all(people.splice(0).map((p) => p.context.close()));
}, 60_000);

it('"edited" opens the earlier versions of someone else\'s message, oldest first', async () => {
  const [ann, bob] = [await person(stage.site, stage.browser, 'Ann Curious'), await person(stage.site, stage.browser, 'Bob Editor')];
  people.push(ann, bob);
  const http = stage.site.api.http;
  const chat = await openChat(http, bob.token, [ann.id]);
  const m = await sendMessage(http, bob.token, chat.id, 'first take');
  await http.patch(`/api/chats/${chat.id}/messages/${m.id}`).set(...bearer(bob.token)).send({ text: 'second take' }).expect(200);
  await http.patch(`/api/chats/${chat.id}/messages/${m.id}`).set(...bearer(bob.token)).send({ text: 'final take' }).expect(200);

  await openChatPage(stage.site, ann.page, chat.id);
  await messageRow(ann.page, 'final take').locator('[data-testid=message-edited]').click();
  const versions = ann.page.locator('[data-testid=edit-history-version] .text');
  await versions.first().waitFor();
  expect(await versions.allTextContents()).toEqual(['first take', 'second take', 'final take']);
  expect(await ann.page.locator('[data-testid=edit-history-version]').last().textContent()).toContain('now');
  await ann.page.keyboard.press('Escape');
  await ann.page.locator('[data-testid=edit-history]').waitFor({ state: 'detached' });
}, 60_000);
