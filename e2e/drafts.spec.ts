import { openChat, sendMessage } from '../apps/api/test/support/chats.js';
import { bearer } from '../apps/api/test/support/factories.js';
import type { ChatView } from '@app/contracts';
import { messageRow, openChatPage, person, typeAndSend, type Person } from './support/people.js';
import { useSiteAndBrowser } from './support/servers.js';

const stage = useSiteAndBrowser();
const people: Person[] = [];
afterEach(async () => {
  await Promise.all(people.splice(0).map((p) => p.context.close()));
}, 60_000);

describe('drafts kept on the server', () => {
  it('a draft typed on one tab shows as "Draft:" on another, continues there, and goes everywhere once sent', async () => {
    const [ann, bob] = [await person(stage.site, stage.browser, 'Ann Drafter'), await person(stage.site, stage.browser, 'Bob Waiting')];
    people.push(ann, bob);
    const http = stage.site.api.http;
    const chat = await openChat(http, bob.token, [ann.id]);
    await sendMessage(http, bob.token, chat.id, 'what do you think?');
    const other = await openChat(http, bob.token, [ann.id], 'Elsewhere');

    const first = ann.page;
    await openChatPage(stage.site, first, chat.id);
    await first.fill('[data-testid=composer-input]', 'half a thought');
    // The second tab looks at another chat: the list says what waits in the first one.
    const second = await ann.context.newPage();
    await openChatPage(stage.site, second, other.id);
    const row = second.locator(`[data-testid=chat-item][data-chat-id="${chat.id}"] [data-testid=chat-item-draft]`);
    await row.filter({ hasText: 'half a thought' }).waitFor();
    expect(await row.textContent()).toBe('Draft: half a thought');
    // Kept on the server: a fresh load shows it too.
    const view = (await http.get(`/api/chats/${chat.id}`).set(...bearer(ann.token)).expect(200)).body as ChatView;
    expect(view.draft?.text).toBe('half a thought');

    // Continued and sent from the second tab: the first tab's composer and both lists let it go.
    await second.click(`[data-testid=chat-item][data-chat-id="${chat.id}"]`);
    await second.waitForFunction(() => (document.querySelector('[data-testid=composer-input]') as HTMLTextAreaElement | null)?.value === 'half a thought');
    await typeAndSend(second, 'half a thought, and the rest');
    await messageRow(first, 'half a thought, and the rest').waitFor();
    await first.waitForFunction(() => (document.querySelector('[data-testid=composer-input]') as HTMLTextAreaElement | null)?.value === '');
    await openChatPage(stage.site, second, other.id);
    const sentRow = second.locator(`[data-testid=chat-item][data-chat-id="${chat.id}"]`);
    await sentRow.locator('[data-testid=chat-item-preview]', { hasText: 'half a thought, and the rest' }).waitFor();
    expect(await sentRow.locator('[data-testid=chat-item-draft]').count()).toBe(0);
    expect(((await http.get(`/api/chats/${chat.id}`).set(...bearer(ann.token)).expect(200)).body as ChatView).draft).toBeNull();
  }, 90_000);
});
