import { randomUUID } from 'node:crypto';
import type { ChatView } from '@app/contracts';
import { openChat, sendMessage } from '../apps/api/test/support/chats.js';
import { bearer } from '../apps/api/test/support/factories.js';
import { messageRow, openChatPage, person, signIn, typeAndSend, type Person } from './support/people.js';
import { useSiteAndBrowser } from './support/servers.js';

const stage = useSiteAndBrowser();
const http = () => stage.site.api.http;
const people: Person[] = [];
const who = async (name: string): Promise<Person> => {
  const p = await person(stage.site, stage.browser, name);
  people.push(p);
  return p;
};
afterEach(async () => {
  await Promise.all(people.splice(0).map((p) => p.context.close()));
}, 60_000);

const header = '[data-testid=conversation-header]';

describe('who is shown how, live and after a reload', () => {
  it('presence of someone who is not a friend follows them live in the dialog header', async () => {
    const [ann, bob] = [await who('Ann Presence'), await who('Bob Watcher')];
    const chat = await openChat(http(), bob.token, [ann.id]);
    await sendMessage(http(), bob.token, chat.id, 'hello Ann');
    await openChatPage(stage.site, bob.page, chat.id);
    await bob.page.locator(`${header} [data-testid=presence-text-online]`).waitFor();
    // Ann leaves: Bob's header says "last seen" well before any 90 s claim would lapse.
    await ann.context.close();
    await bob.page.locator(`${header} [data-testid=presence-text]`).waitFor({ timeout: 20_000 });
    // And back online when she returns.
    people.push(await signIn(stage.site, stage.browser, ann));
    await bob.page.locator(`${header} [data-testid=presence-text-online]`).waitFor({ timeout: 20_000 });
  }, 90_000);

  it('a chat list fetched just before someone left does not bring them back online', async () => {
    const [ann, bob] = [await who('Ann Leaving'), await who('Bob Fetching')];
    const chat = await openChat(http(), bob.token, [ann.id]);
    await sendMessage(http(), bob.token, chat.id, 'hello Ann');
    // Bob's list refetch after his socket connects is answered while Ann is still here, and that
    // answer reaches his tab only after she has left.
    let fetched!: () => void;
    const answered = new Promise<void>((resolve) => (fetched = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let delivered!: () => void;
    const done = new Promise<void>((resolve) => (delivered = resolve));
    await bob.page.route(
      (url) => url.pathname === '/api/chats',
      async (route) => {
        const response = await route.fetch();
        fetched();
        await held;
        await route.fulfill({ response });
        delivered();
      },
      { times: 1 },
    );
    await openChatPage(stage.site, bob.page, chat.id);
    await bob.page.locator(`${header} [data-testid=presence-text-online]`).waitFor();
    await answered;
    await ann.context.close();
    await bob.page.locator(`${header} [data-testid=presence-text]`).waitFor({ timeout: 20_000 });
    release();
    await done;
    // The held list has been taken in (the counters fetched with it arrive first or together).
    await bob.page.waitForLoadState('networkidle');
    expect(await bob.page.locator(`${header} [data-testid=presence-text-online]`).count()).toBe(0);
    expect(await bob.page.locator(`${header} [data-testid=presence-text]`).count()).toBe(1);
  }, 90_000);

  it('a blocker keeps their name for the person they blocked (no presence), in the dialog and in a group, live and after a reload', async () => {
    const [bea, ben, cid] = [await who('Bea Blocker'), await who('Ben Blocked'), await who('Cid Third')];
    const dialog = await openChat(http(), ben.token, [bea.id]);
    await sendMessage(http(), ben.token, dialog.id, 'hi Bea');
    const group = await openChat(http(), cid.token, [bea.id, ben.id], 'Trio');
    await sendMessage(http(), bea.token, group.id, 'from Bea in the group');
    const b = ben.page;
    await openChatPage(stage.site, b, dialog.id);
    await b.locator(`${header} [data-testid=presence-text-online]`).waitFor();

    await http().put(`/api/blocks/${ben.id}`).set(...bearer(bea.token)).expect(204);
    // Live: the name stays, the presence goes.
    await b.locator(`${header} [data-testid=presence-text-online]`).waitFor({ state: 'detached' });
    expect(await b.textContent('[data-testid=conversation-title]')).toBe(bea.name);
    await b.reload();
    await b.waitForSelector('[data-testid=composer-input]');
    expect(await b.textContent('[data-testid=conversation-title]')).toBe(bea.name);
    expect(await b.locator(`${header} .presence-text`).count()).toBe(0);
    expect(await b.textContent(`[data-testid=chat-item][data-chat-id="${dialog.id}"] [data-testid=chat-item-title]`)).toBe(bea.name);

    // Writing to her fails, and says why in plain words.
    await typeAndSend(b, 'are you there?');
    await b.locator('[data-testid=message][data-state=failed]').waitFor();
    expect(await b.textContent('[data-testid=message-failed-reason]')).toContain("You can't message this person");

    await openChatPage(stage.site, b, group.id);
    const sender = messageRow(b, 'from Bea in the group').locator('[data-testid=message-sender]');
    // The group's member list arrives after its messages: until then a sender has no name yet.
    await sender.filter({ hasText: bea.name }).waitFor({ timeout: 15_000 });
    expect(await sender.textContent()).toBe(bea.name);

    // Unblocked: presence comes back live, the name never changed.
    await openChatPage(stage.site, b, dialog.id);
    await http().delete(`/api/blocks/${ben.id}`).set(...bearer(bea.token)).expect(204);
    await b.locator(`${header} [data-testid=presence-text-online]`).waitFor({ timeout: 15_000 });
    expect(await b.textContent('[data-testid=conversation-title]')).toBe(bea.name);
  }, 90_000);
});

describe('chats that come and go', () => {
  it('a member removed and added back sees the group again without reopening it', async () => {
    const [ann, ben] = [await who('Ann Admin'), await who('Ben Back')];
    const group = await openChat(http(), ann.token, [ben.id], 'Come back');
    await sendMessage(http(), ann.token, group.id, 'welcome');
    await openChatPage(stage.site, ben.page, group.id);
    await http().delete(`/api/chats/${group.id}/members/${ben.id}`).set(...bearer(ann.token)).expect(204);
    await ben.page.locator('[data-testid=conversation-missing]').waitFor();
    await http().post(`/api/chats/${group.id}/members`).set(...bearer(ann.token)).send({ userIds: [ben.id] }).expect(201);
    await ben.page.locator('[data-testid=composer-input]').waitFor({ timeout: 15_000 });
    expect(await ben.page.locator('[data-testid=conversation-missing]').count()).toBe(0);
    await sendMessage(http(), ann.token, group.id, 'you are back');
    await messageRow(ben.page, 'you are back').waitFor();
  }, 60_000);

  it('a dialog opened without writing stays out of the other person\'s list until its first message', async () => {
    const [ann, ben] = [await who('Ann Opener'), await who('Ben Listed')];
    await ann.page.goto(`${stage.site.baseUrl}/?with=${ben.id}`);
    await ann.page.waitForURL(/\?chat=/);
    const chatId = new URL(ann.page.url()).searchParams.get('chat')!;
    await ann.page.waitForSelector('[data-testid=composer-input]');
    const item = ben.page.locator(`[data-testid=chat-item][data-chat-id="${chatId}"]`);
    await ben.page.waitForTimeout(1500);
    expect(await item.count()).toBe(0);
    await ben.page.reload();
    await ben.page.waitForSelector('[data-testid=chat-shell]');
    await ben.page.waitForLoadState('networkidle');
    expect(await item.count()).toBe(0);
    await typeAndSend(ann.page, 'now it counts');
    await item.locator('[data-testid=chat-item-unread]:text-is("1")').waitFor({ timeout: 15_000 });
  }, 60_000);

  it('the "Unread messages" divider goes once I have read and replied', async () => {
    const [ann, ben] = [await who('Ann Writer'), await who('Ben Reader')];
    const chat = (await openChat(http(), ann.token, [ben.id])) as ChatView;
    for (const text of ['one', 'two', 'three']) await sendMessage(http(), ann.token, chat.id, text);
    await ben.page.click(`[data-testid=chat-item][data-chat-id="${chat.id}"]`);
    await ben.page.locator('[data-testid=unread-divider]').waitFor();
    await typeAndSend(ben.page, 'got them');
    await messageRow(ben.page, 'got them').locator('[data-testid=message-sent], [data-testid=message-seen]').first().waitFor();
    await ben.page.locator('[data-testid=unread-divider]').waitFor({ state: 'detached', timeout: 5000 });
  }, 60_000);
});

describe('delete for me', () => {
  it('hides a message on all my devices and after reloads; the other person keeps it', async () => {
    const [ann, ben] = [await who('Ann Tidy'), await who('Ben Sender')];
    const chat = await openChat(http(), ben.token, [ann.id]);
    await sendMessage(http(), ben.token, chat.id, 'keep me');
    await sendMessage(http(), ben.token, chat.id, 'only for Ann to drop');
    await sendMessage(http(), ben.token, chat.id, 'dropped while the phone is away');
    const laptop = ann.page;
    const phone = await signIn(stage.site, stage.browser, ann, { width: 360 });
    people.push(phone);
    // The phone can be cut off (installed before its page loads: WebSockets are routed by a page script).
    let cut = false;
    const api = (u: URL): boolean => u.pathname.startsWith('/api/') || u.pathname.startsWith('/socket.io/');
    await phone.context.route(api, (r) => (cut ? r.abort('internetdisconnected') : r.continue()));
    await phone.context.routeWebSocket(api, (ws) => (cut ? ws.close() : ws.connectToServer()));
    for (const page of [laptop, phone.page, ben.page]) await openChatPage(stage.site, page, chat.id);
    const target = messageRow(laptop, 'only for Ann to drop');
    await target.hover();
    await target.locator('[data-testid=message-menu]').click();
    // Not Ann's message: she may delete it for herself only.
    expect(await laptop.locator('[data-testid=action-delete]').count()).toBe(0);
    await laptop.click('[data-testid=action-delete-me]');
    await laptop.click('[data-testid=action-delete-me]');
    await target.waitFor({ state: 'detached' });
    await messageRow(phone.page, 'only for Ann to drop').waitFor({ state: 'detached', timeout: 15_000 });

    // The phone is away while the laptop drops another one: back online, the phone drops it too.
    cut = true;
    await phone.context.setOffline(true);
    await phone.page.evaluate(() => {
      const root = document.querySelector('#__nuxt') as unknown as { __vue_app__: { config: { globalProperties: Record<string, unknown> } } };
      const nuxt = root.__vue_app__.config.globalProperties.$nuxt as { $realtime: { socket: { io: { engine: { close(): void } } } } };
      nuxt.$realtime.socket.io.engine.close();
    });
    await phone.page.locator('[data-testid=connection-status]').waitFor();
    const away = messageRow(laptop, 'dropped while the phone is away');
    await away.hover();
    await away.locator('[data-testid=message-menu]').click();
    await laptop.click('[data-testid=action-delete-me]');
    await laptop.click('[data-testid=action-delete-me]');
    await away.waitFor({ state: 'detached' });
    // The chat list previews what is left.
    const preview = laptop.locator(`[data-testid=chat-item][data-chat-id="${chat.id}"] [data-testid=chat-item-preview]`);
    await laptop.waitForFunction((el) => el?.textContent === 'keep me', await preview.elementHandle(), { timeout: 10_000 });
    expect(await messageRow(phone.page, 'dropped while the phone is away').count()).toBe(1);
    cut = false;
    await phone.context.setOffline(false);
    await messageRow(phone.page, 'dropped while the phone is away').waitFor({ state: 'detached', timeout: 30_000 });
    await laptop.reload();
    await messageRow(laptop, 'keep me').waitFor();
    expect(await messageRow(laptop, 'only for Ann to drop').count()).toBe(0);
    await ben.page.waitForTimeout(500);
    expect(await messageRow(ben.page, 'only for Ann to drop').count()).toBe(1);
    // A message that does not exist answers 404 over the API.
    await http().post(`/api/chats/${chat.id}/messages/${randomUUID()}/hide`).set(...bearer(ann.token)).expect(404);
  }, 90_000);
});
