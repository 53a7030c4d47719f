import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openChat, sendMessage } from '../apps/api/test/support/chats.js';
import { bearer } from '../apps/api/test/support/factories.js';
import { messageRow, openChatPage, person, type Person } from './support/people.js';
import { useSiteAndBrowser } from './support/servers.js';

const stage = useSiteAndBrowser();
const people: Person[] = [];
afterEach(async () => {
  await Promise.all(people.splice(0).map((p) => p.context.close()));
}, 60_000);

/** Set LOOK_SCREENSHOTS=<dir> to keep the forward dialog and the pinned bar. */
const SHOTS = process.env.LOOK_SCREENSHOTS;
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

describe('forwarding and pinning in the web app', () => {
  it('forwards a message to two chats from its menu; the receivers see whom it is from, live', async () => {
    const [ann, bob, cid] = [await person(stage.site, stage.browser, 'Ann Forwarder'), await person(stage.site, stage.browser, 'Bob Original'), await person(stage.site, stage.browser, 'Cid Receiver')];
    people.push(ann, bob, cid);
    const http = stage.site.api.http;
    const source = await openChat(http, bob.token, [ann.id]);
    await sendMessage(http, bob.token, source.id, 'worth sharing');
    const withCid = await openChat(http, ann.token, [cid.id]);
    await sendMessage(http, ann.token, withCid.id, 'hi Cid');
    const group = await openChat(http, ann.token, [cid.id], 'Sharers');
    await openChatPage(stage.site, cid.page, withCid.id);

    const a = ann.page;
    await openChatPage(stage.site, a, source.id);
    const original = messageRow(a, 'worth sharing');
    await original.hover();
    await original.locator('[data-testid=message-menu]').click();
    await a.click('[data-testid=action-forward]');
    await a.locator('[data-testid=forward-dialog]').waitFor();
    await a.fill('[data-testid=forward-search]', 'Cid');
    await a.locator(`[data-testid=forward-chat][data-chat-id="${withCid.id}"]`).click();
    await a.fill('[data-testid=forward-search]', '');
    await a.locator(`[data-testid=forward-chat][data-chat-id="${group.id}"]`).click();
    if (SHOTS) await a.screenshot({ path: join(SHOTS, 'forward-dialog-1280-light-en.png') });
    await a.click('[data-testid=forward-submit]');
    await a.locator('[data-testid=forward-dialog]').waitFor({ state: 'detached' });

    // Cid, looking at the dialog, gets it live with its origin; the group has it too.
    const got = messageRow(cid.page, 'worth sharing');
    await got.waitFor();
    expect(await got.locator('[data-testid=message-forwarded]').textContent()).toBe('Forwarded from Bob Original');
    await openChatPage(stage.site, cid.page, group.id);
    await messageRow(cid.page, 'worth sharing').locator('[data-testid=message-forwarded]').waitFor();
  }, 90_000);

  it('selects several messages and forwards them together, in the order of the chat; Esc leaves the selection', async () => {
    const [ann, bob, cid] = [await person(stage.site, stage.browser, 'Ann Selector'), await person(stage.site, stage.browser, 'Bob Talker'), await person(stage.site, stage.browser, 'Cid Getter')];
    people.push(ann, bob, cid);
    const http = stage.site.api.http;
    const source = await openChat(http, bob.token, [ann.id]);
    for (const text of ['one', 'two', 'three']) await sendMessage(http, bob.token, source.id, text);
    const target = await openChat(http, ann.token, [cid.id]);
    await openChatPage(stage.site, cid.page, target.id);
    const a = ann.page;
    await openChatPage(stage.site, a, source.id);

    // From the menu of "three", then a click on "one": two picked; the composer gives way to the bar.
    const three = messageRow(a, 'three');
    await three.hover();
    await three.locator('[data-testid=message-menu]').click();
    await a.click('[data-testid=action-select]');
    await a.locator('[data-testid=selection-bar]').waitFor();
    expect(await a.locator('[data-testid=composer-input]').count()).toBe(0);
    await messageRow(a, 'one').click();
    expect(await a.textContent('[data-testid=selection-count]')).toBe('2 messages selected');
    expect(await a.locator('.vrow[data-picked=true]').count()).toBe(2);
    // Clicking a picked one unpicks it; picking it again brings the count back.
    await messageRow(a, 'one').click();
    expect(await a.textContent('[data-testid=selection-count]')).toBe('1 message selected');
    await messageRow(a, 'one').click();
    if (SHOTS) await a.screenshot({ path: join(SHOTS, 'selection-1280-light-en.png') });

    await a.click('[data-testid=selection-forward]');
    await a.locator(`[data-testid=forward-chat][data-chat-id="${target.id}"]`).click();
    await a.click('[data-testid=forward-submit]');
    await a.locator('[data-testid=forward-dialog]').waitFor({ state: 'detached' });
    await a.locator('[data-testid=composer-input]').waitFor();

    // Cid gets both, oldest first, each marked as forwarded from Bob.
    await messageRow(cid.page, 'three').waitFor();
    const got = await cid.page.$$eval('[data-testid=message]', (els) =>
      els.map((el) => [el.querySelector('[data-testid=message-text]')?.textContent, el.querySelector('[data-testid=message-forwarded]')?.textContent]),
    );
    expect(got).toEqual([['one', 'Forwarded from Bob Talker'], ['three', 'Forwarded from Bob Talker']]);

    // Esc ends a selection without doing anything.
    await openChatPage(stage.site, a, source.id);
    await messageRow(a, 'two').click({ button: 'right' });
    await a.click('[data-testid=context-select]');
    await a.locator('[data-testid=selection-bar]').waitFor();
    await a.keyboard.press('Escape');
    await a.locator('[data-testid=selection-bar]').waitFor({ state: 'detached' });
    expect(await a.locator('.vrow[data-picked]').count()).toBe(0);
  }, 90_000);

  it('pins from the context menu; the other person sees the pinned bar live, jumps to the message, and unpins', async () => {
    const [ann, bob] = [await person(stage.site, stage.browser, 'Ann Pinner'), await person(stage.site, stage.browser, 'Bob Reader')];
    people.push(ann, bob);
    const http = stage.site.api.http;
    const chat = await openChat(http, ann.token, [bob.id]);
    await sendMessage(http, ann.token, chat.id, 'remember this');
    for (let i = 0; i < 60; i += 1) await sendMessage(http, bob.token, chat.id, `filler ${i}`);
    await openChatPage(stage.site, ann.page, chat.id);
    await openChatPage(stage.site, bob.page, chat.id);

    const a = ann.page;
    // Ann opens at her first unread message, right under her own: she pins it from its context menu.
    const mine = messageRow(a, 'remember this');
    await mine.click({ button: 'right' });
    await a.click('[data-testid=context-pin]');
    const b = bob.page;
    await b.locator('[data-testid=pinned-text]', { hasText: 'remember this' }).waitFor();
    expect(await b.textContent('[data-testid=pinned-bar]')).toContain('Pinned message');

    // A pin made elsewhere (here by Bob over the API) is the newest: first in the bar.
    const latest = (await http.get(`/api/chats/${chat.id}/messages`).query({ limit: 1 }).set(...bearer(bob.token)).expect(200)).body.items[0] as { id: string; text: string };
    expect(latest.text).toBe('filler 59');
    await http.put(`/api/chats/${chat.id}/pins/${latest.id}`).set(...bearer(bob.token)).expect(200);
    await b.locator('[data-testid=pinned-text]', { hasText: 'filler 59' }).waitFor();
    expect(await b.textContent('[data-testid=pinned-bar]')).toContain('Pinned message 1 of 2');
    // Each click shows the pin and moves on to the older one: Bob, at the bottom, is taken far up.
    await b.click('[data-testid=pinned-jump]');
    await b.locator('[data-testid=pinned-text]', { hasText: 'remember this' }).waitFor();
    expect(await messageRow(b, 'remember this').count()).toBe(0);
    await b.click('[data-testid=pinned-jump]');
    await messageRow(b, 'remember this').waitFor();
    if (SHOTS) await b.screenshot({ path: join(SHOTS, 'pinned-bar-1280-light-en.png') });

    // Bob unpins from the bar (the pin it shows now, the newest again); Ann sees it go live.
    await b.locator('[data-testid=pinned-text]', { hasText: 'filler 59' }).waitFor();
    await b.click('[data-testid=pinned-unpin]');
    await a.locator('[data-testid=pinned-text]', { hasText: 'remember this' }).waitFor();
    expect(await a.textContent('[data-testid=pinned-bar]')).not.toContain('of 2');
    await b.click('[data-testid=pinned-unpin]');
    await a.locator('[data-testid=pinned-bar]').waitFor({ state: 'detached' });
    await mine.click({ button: 'right' });
    await a.locator('[data-testid=context-pin]').waitFor();
  }, 90_000);
});
