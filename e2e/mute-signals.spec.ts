import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openChat, sendMessage } from '../apps/api/test/support/chats.js';
import { bearer } from '../apps/api/test/support/factories.js';
import { openChatPage, person, type Person } from './support/people.js';
import { useSiteAndBrowser } from './support/servers.js';

const stage = useSiteAndBrowser();
const people: Person[] = [];
afterEach(async () => {
  await Promise.all(people.splice(0).map((p) => p.context.close()));
}, 60_000);

/** The tab as the browser reports it when the user switches away or back. */
const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);

/** Set LOOK_SCREENSHOTS=<dir> to keep the chat info with the mute section and the list with a muted chat. */
const SHOTS = process.env.LOOK_SCREENSHOTS;
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

const row = (page: Page, chatId: string) => page.locator(`[data-testid=chat-item][data-chat-id="${chatId}"]`);

describe('a muted chat and the unread signals', () => {
  it('mutes from the chat info; the total badge, the hidden tab title and the favicon leave the muted chat out', async () => {
    const me = await person(stage.site, stage.browser, 'Mia Muter');
    const [ann, bob] = await Promise.all([person(stage.site, stage.browser, 'Ann Loud'), person(stage.site, stage.browser, 'Bob Quiet')]);
    people.push(me, ann, bob);
    const http = stage.site.api.http;
    const loud = await openChat(http, ann.token, [me.id]);
    const quiet = await openChat(http, bob.token, [me.id]);

    await openChatPage(stage.site, me.page, quiet.id);
    await me.page.click('[data-testid=conversation-header]');
    await me.page.selectOption('[data-testid=chat-mute-select]', 'forever');
    await me.page.locator('[data-testid=chat-mute-state]', { hasText: 'Muted' }).waitFor();
    await row(me.page, quiet.id).locator('[data-testid=chat-item-muted]').waitFor();
    expect(await row(me.page, loud.id).locator('[data-testid=chat-item-muted]').count()).toBe(0);
    if (SHOTS) await me.page.screenshot({ path: join(SHOTS, 'mute-info.png') });

    // Back on the list (nothing open, nothing read), the tab in the background.
    await me.page.click('[data-testid=nav-chats]');
    await me.page.waitForURL((u) => !u.search.includes('chat='));
    await setHidden(me.page, true);
    for (const text of ['psst', 'psst 2', 'psst 3']) await sendMessage(http, bob.token, quiet.id, text);
    await sendMessage(http, ann.token, loud.id, 'hello');

    const quietBadge = row(me.page, quiet.id).locator('[data-testid=chat-item-unread]');
    await quietBadge.filter({ hasText: /^3$/ }).waitFor();
    expect(await quietBadge.evaluate((el) => el.classList.contains('quiet'))).toBe(true);
    await row(me.page, loud.id).locator('[data-testid=chat-item-unread]').filter({ hasText: /^1$/ }).waitFor();
    if (SHOTS) await me.page.screenshot({ path: join(SHOTS, 'mute-list.png') });
    expect(await me.page.locator('[data-testid=nav-chats-badge] [aria-hidden=true]').innerText()).toBe('1');
    await me.page.waitForFunction(() => document.title.startsWith('(1) '));
    const favicon = await me.page.waitForFunction(() => document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href.startsWith('data:image/svg+xml') && document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href);
    expect(decodeURIComponent(String(await favicon.jsonValue()))).toContain('>1</text>');

    // Back in the tab: the plain title and icon.
    await setHidden(me.page, false);
    await me.page.waitForFunction(() => !document.title.startsWith('(') && document.title.endsWith('Messenger'));
    await me.page.waitForFunction(() => document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href.endsWith('/icon.svg'));

    // Unmuted on another device: this tab hears it and counts the chat again.
    await http.put(`/api/chats/${quiet.id}/mute`).set(...bearer(me.token)).send({ until: null }).expect(200);
    await me.page.locator('[data-testid=nav-chats-badge] [aria-hidden=true]', { hasText: /^4$/ }).waitFor();
    expect(await row(me.page, quiet.id).locator('[data-testid=chat-item-muted]').count()).toBe(0);
  }, 90_000);

  it('a mute that runs out while the page is open counts the chat in the total again, with nothing else changing', async () => {
    const me = await person(stage.site, stage.browser, 'Mia Waiting');
    const bob = await person(stage.site, stage.browser, 'Bob Later');
    people.push(me, bob);
    const http = stage.site.api.http;
    const chat = await openChat(http, bob.token, [me.id]);
    await sendMessage(http, bob.token, chat.id, 'first');
    const until = new Date(Date.now() + 15_000).toISOString();
    await http.put(`/api/chats/${chat.id}/mute`).set(...bearer(me.token)).send({ until }).expect(200);
    await me.page.goto(`${stage.site.baseUrl}/`);
    await row(me.page, chat.id).locator('[data-testid=chat-item-muted]').waitFor();
    await sendMessage(http, bob.token, chat.id, 'second');
    await row(me.page, chat.id).locator('[data-testid=chat-item-unread]').filter({ hasText: /^2$/ }).waitFor();
    expect(await me.page.locator('[data-testid=nav-chats-badge]').count()).toBe(0);
    // The mute runs out: the total takes the chat back without any event.
    await me.page.locator('[data-testid=nav-chats-badge] [aria-hidden=true]', { hasText: /^2$/ }).waitFor({ timeout: 30_000 });
  }, 90_000);
});
