import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import type { AuthView } from '@app/contracts';
import { useSiteAndBrowser } from './support/servers.js';
import { newUser, signInViaUi } from './support/web.js';

const stage = useSiteAndBrowser();

/** Set CHAT_SCREENSHOTS=<dir> to keep desktop and 360 px screenshots in light and dark. */
const SHOTS = process.env.CHAT_SCREENSHOTS;


interface Person {
  auth: AuthView;
  password: string;
  context: BrowserContext;
  page: Page;
}

/**
 * Cuts one person's page off the API (REST through the site, and the socket) while `cut` is on.
 * Installed before the page loads: Playwright routes WebSockets through a script it adds to pages.
 */
interface NetworkSwitch {
  cut: boolean;
}

async function person(displayName: string, net?: NetworkSwitch): Promise<Person> {
  const req = newUser({ displayName });
  const res = await stage.site.api.http.post('/api/auth/register').send(req);
  if (res.status !== 201) throw new Error(`register failed: ${res.status}`);
  const context = await stage.browser.newContext({ viewport: { width: 1280, height: 800 } });
  if (net) {
    const api = (url: URL) => url.pathname.startsWith('/api/') || url.pathname.startsWith('/socket.io/');
    await context.route(api, (route) => (net.cut ? route.abort('internetdisconnected') : route.continue()));
    await context.routeWebSocket(api, (ws) => (net.cut ? ws.close() : ws.connectToServer()));
  }
  const page = await context.newPage();
  await signInViaUi(page, stage.site.baseUrl, req.username, req.password);
  return { auth: res.body as AuthView, password: req.password, context, page };
}

interface Row {
  text: string | null;
  deleted: boolean;
  state: string | null;
  edited: boolean;
  reactions: string[];
}

/** Every message text met while scrolling the (virtualised) list from top to bottom, in order. */
async function scrolledThrough(page: Page): Promise<string[]> {
  const list = page.locator('[data-testid=message-list]');
  await list.evaluate((el) => el.scrollTo({ top: 0 }));
  const seen: string[] = [];
  for (let i = 0; i < 400; i += 1) {
    await page.waitForTimeout(30);
    const step = await list.evaluate((el) => ({
      texts: [...el.querySelectorAll('[data-testid=message-text]')].map((t) => t.textContent ?? ''),
      end: el.scrollTop + el.clientHeight >= el.scrollHeight - 2,
    }));
    for (const text of step.texts) if (!seen.includes(text)) seen.push(text);
    if (step.end) break;
    await list.evaluate((el) => el.scrollBy({ top: el.clientHeight / 2 }));
  }
  return seen;
}

/** The conversation as the DOM shows it, top to bottom. */
function rows(page: Page): Promise<Row[]> {
  return page.$$eval('[data-testid=message-list] [data-testid=message]', (els) =>
    els.map((el) => ({
      text: el.querySelector('[data-testid=message-text]')?.textContent ?? null,
      deleted: el.querySelector('[data-testid=message-deleted]') !== null,
      state: (el as HTMLElement).dataset.state ?? null,
      edited: el.querySelector('[data-testid=message-edited]') !== null,
      reactions: [...el.querySelectorAll('[data-testid=reaction]')].map((r) => (r.textContent ?? '').replace(/\s+/g, '')),
    })),
  );
}

const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
const message = (page: Page, text: string) =>
  page.locator('[data-testid=message]').filter({ has: page.locator('[data-testid=message-text]', { hasText: exactly(text) }) });

async function send(page: Page, text: string): Promise<void> {
  await page.fill('[data-testid=composer-input]', text);
  await page.press('[data-testid=composer-input]', 'Enter');
}

async function waitRows(page: Page, check: (r: Row[]) => boolean, what: string, ms = 15_000): Promise<Row[]> {
  const until = Date.now() + ms;
  let last: Row[] = [];
  while (Date.now() < until) {
    last = await rows(page);
    if (check(last)) return last;
    await page.waitForTimeout(100);
  }
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/failed-${what.replace(/\W+/g, '-')}.png` });
  throw new Error(`timed out waiting for ${what}; rows: ${JSON.stringify(last)}`);
}

/** Drops the socket's transport as a lost network would (Socket.IO then reconnects by itself). */
function dropSocket(page: Page): Promise<void> {
  return page.evaluate(() => {
    const root = document.querySelector('#__nuxt') as unknown as { __vue_app__: { config: { globalProperties: Record<string, unknown> } } };
    const nuxt = root.__vue_app__.config.globalProperties.$nuxt as { $realtime: { socket: { io: { engine: { close(): void } } } } };
    nuxt.$realtime.socket.io.engine.close();
  });
}

async function shoot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

describe('chatting in the browser', () => {
  it('two people chat, edit, delete, react and reply; an offline sender loses and doubles nothing', async () => {
    const annaNet: NetworkSwitch = { cut: false };
    const anna = await person('Anna Offline', annaNet);
    const boris = await person('Boris Online');
    try {
      const a = anna.page;
      const b = boris.page;

      // Anna opens the dialog from a "Message" link: ?with= becomes ?chat=.
      await a.goto(`${stage.site.baseUrl}/?with=${boris.auth.user.id}`);
      await a.waitForURL(/\?chat=/);
      const chatId = new URL(a.url()).searchParams.get('chat')!;
      await a.waitForSelector('[data-testid=composer-input]');
      expect(await a.textContent('[data-testid=conversation-title]')).toBe('Boris Online');

      await send(a, 'Hello Boris, see https://example.com/x?y=1 <b>not bold</b>');
      await send(a, 'Second message');
      await waitRows(a, (r) => r.length === 2 && r.every((x) => x.state === 'sent' || x.state === 'seen'), 'both sent');

      // Boris sees the chat appear live with two unread; opening it reads them and Anna sees "seen".
      const item = b.locator(`[data-testid=chat-item][data-chat-id="${chatId}"]`);
      await item.locator('[data-testid=chat-item-unread]:text-is("2")').waitFor();
      await item.click();
      await waitRows(b, (r) => r.length === 2, 'history on Boris side');
      const link = b.locator('[data-testid=message-text] a');
      expect(await link.getAttribute('href')).toBe('https://example.com/x?y=1');
      expect(await link.getAttribute('rel')).toContain('noopener');
      expect(await b.locator('[data-testid=message-text] b').count()).toBe(0);
      await item.locator('[data-testid=chat-item-unread]').waitFor({ state: 'detached' });
      await waitRows(a, (r) => r.every((x) => x.state === 'seen'), 'seen ticks');

      // Boris replies to the first message with a quote; Anna sees it and jumps to the quoted one.
      await message(b, 'Second message').hover();
      await message(b, 'Second message').locator('[data-testid=message-menu]').click();
      await b.click('[data-testid=action-reply]');
      await send(b, 'Hi Anna');
      await message(a, 'Hi Anna').locator('[data-testid=message-quote]').waitFor();
      expect(await message(a, 'Hi Anna').locator('[data-testid=message-quote]').textContent()).toContain('Second message');

      // Anna edits, Boris sees "edited"; Boris reacts, Anna sees the count; Anna deletes, both see the tombstone.
      await message(a, 'Second message').hover();
      await message(a, 'Second message').locator('[data-testid=message-menu]').click();
      await a.click('[data-testid=action-edit]');
      await a.fill('[data-testid=composer-input]', 'Second message, edited');
      await a.press('[data-testid=composer-input]', 'Enter');
      await waitRows(b, (r) => r.some((x) => x.text === 'Second message, edited' && x.edited), 'edit on Boris side');

      await message(b, 'Second message, edited').hover();
      await message(b, 'Second message, edited').locator('[data-testid=message-menu]').click();
      await b.click('[data-testid=quick-reaction][data-emoji="👍"]');
      await waitRows(a, (r) => r.some((x) => x.text === 'Second message, edited' && x.reactions.includes('👍1')), 'reaction on Anna side');

      await message(a, 'Hello Boris, see https://example.com/x?y=1 <b>not bold</b>').hover();
      await message(a, 'Hello Boris, see https://example.com/x?y=1 <b>not bold</b>').locator('[data-testid=message-menu]').click();
      await a.click('[data-testid=action-delete]');
      await a.click('[data-testid=action-delete]');
      await waitRows(b, (r) => r[0]?.deleted === true, 'tombstone on Boris side');
      await waitRows(a, (r) => r[0]?.deleted === true, 'tombstone on Anna side');
      await shoot(a, 'desktop-light-anna');

      const storedOffline = async () => {
        const res = await stage.site.api.http.get(`/api/chats/${chatId}/messages`).set('Authorization', `Bearer ${anna.auth.accessToken}`);
        return (res.body as { items: { text: string | null }[] }).items.filter((m) => m.text?.startsWith('offline ')).length;
      };
      // Boris goes back to his list; Anna loses the network and writes two messages.
      await b.click('[data-testid=nav-chats]');
      await b.waitForSelector('[data-testid=conversation-placeholder]');
      // The API stays unreachable for Anna's page until told otherwise (also across the reload below).
      annaNet.cut = true;
      await anna.context.setOffline(true);
      await dropSocket(a);
      await a.waitForSelector('[data-testid=connection-status]');
      await send(a, 'offline one');
      await send(a, 'offline two');
      await waitRows(a, (r) => r.filter((x) => x.state === 'pending').length === 2, 'two pending');
      await a.locator('[data-testid=message-pending]').first().waitFor();
      await shoot(a, 'desktop-light-anna-offline');

      // A reload while the API is still unreachable: the outbox comes back from IndexedDB.
      await anna.context.setOffline(false);
      await a.waitForTimeout(300);
      await a.reload();
      await waitRows(a, (r) => r.filter((x) => x.state === 'pending').map((x) => x.text).join('|') === 'offline one|offline two', 'pending after reload');
      expect(await storedOffline()).toBe(0);

      // The connection returns: each message is sent once, in order, on both sides.
      annaNet.cut = false;
      await anna.context.setOffline(true);
      await anna.context.setOffline(false);
      const once = (r: Row[]) => r.filter((x) => x.text?.startsWith('offline ')).map((x) => `${x.text}:${x.state}`);
      await waitRows(a, (r) => once(r).join('|') === 'offline one:sent|offline two:sent', 'delivered on Anna side', 30_000);
      await b.locator(`[data-testid=chat-item][data-chat-id="${chatId}"] [data-testid=chat-item-unread]:text-is("2")`).waitFor();
      expect(await b.textContent(`[data-testid=chat-item][data-chat-id="${chatId}"] [data-testid=chat-item-preview]`)).toBe('offline two');
      await b.locator(`[data-testid=chat-item][data-chat-id="${chatId}"]`).click();
      const seen = await waitRows(b, (r) => r.filter((x) => x.text?.startsWith('offline ')).length >= 2, 'delivered on Boris side');
      expect(seen.filter((x) => x.text?.startsWith('offline ')).map((x) => x.text)).toEqual(['offline one', 'offline two']);
      expect(await b.locator('[data-testid=unread-divider]').count()).toBe(1);
      // Nothing doubled after the reconnect settles.
      await a.waitForSelector('[data-testid=connection-status]', { state: 'detached', timeout: 30_000 });
      await waitRows(a, (r) => once(r).join('|') === 'offline one:seen|offline two:seen', 'seen after the catch-up', 10_000);

      if (SHOTS) {
        await shoot(b, 'desktop-light-boris');
        await b.emulateMedia({ colorScheme: 'dark' });
        await shoot(b, 'desktop-dark-boris');
        await b.setViewportSize({ width: 360, height: 740 });
        await shoot(b, 'mobile-dark-conversation');
        await b.click('[data-testid=conversation-back]');
        await shoot(b, 'mobile-dark-list');
        await b.emulateMedia({ colorScheme: 'light' });
        await shoot(b, 'mobile-light-list');
        await b.locator(`[data-testid=chat-item][data-chat-id="${chatId}"]`).click();
        await b.waitForSelector('[data-testid=composer-input]');
        await shoot(b, 'mobile-light-conversation');
      }
    } finally {
      await anna.context.close();
      await boris.context.close();
    }
  }, 120_000);

  it('a group: created from "New chat", mentions, "seen by", live rename, admins and removal', async () => {
    const anna = await person('Anna Admin');
    const boris = await person('Boris Member');
    const carl = await person('Carl Leaving');
    try {
      const [a, b, c] = [anna.page, boris.page, carl.page];
      await a.click('[data-testid=new-chat]');
      for (const who of [boris, carl]) {
        await a.fill('[data-testid=people-search]', who.auth.user.username);
        await a.click(`[data-testid=people-result][data-username="${who.auth.user.username}"]`);
      }
      await a.fill('[data-testid=group-title]', 'Weekend');
      await a.click('[data-testid=new-chat-submit]');
      await a.waitForURL(/\?chat=/);
      const chatId = new URL(a.url()).searchParams.get('chat')!;
      const item = (p: Page) => p.locator(`[data-testid=chat-item][data-chat-id="${chatId}"]`);

      // The group shows up live for the others; Boris opens it.
      await item(b).waitFor();
      await item(c).waitFor();
      await item(b).click();
      await b.waitForSelector('[data-testid=composer-input]');

      // A mention picked from the autocomplete, highlighted on Boris's side.
      await a.click('[data-testid=composer-input]');
      await a.keyboard.type(`@${boris.auth.user.username.slice(0, 4)}`);
      await a.waitForSelector('[data-testid=mention-option]');
      await a.keyboard.press('Enter');
      await a.keyboard.type('are you in? 🎉');
      await a.keyboard.press('Enter');
      await message(b, `@${boris.auth.user.username} are you in? 🎉`).locator('[data-testid=mention]').waitFor();
      // Boris has read it: Anna sees "seen by" him.
      await a.locator('[data-testid=message][data-state=seen]').waitFor();
      expect(await a.getAttribute('[data-testid=message-seen]', 'title')).toContain('Boris Member');
      // Boris types: Anna sees it in the header and in the list.
      await b.fill('[data-testid=composer-input]', 'Sure');
      await a.locator('[data-testid=conversation-typing]:text-is("Boris Member is typing…")').waitFor();
      await item(a).locator('[data-testid=chat-item-typing]').waitFor();

      // Rename, seen live; Boris becomes admin; Carl is removed and loses the chat at once.
      await a.click('[data-testid=conversation-info]');
      await a.fill('[data-testid=group-rename-input]', 'Weekend plans');
      await a.click('[data-testid=group-rename-save]');
      await b.locator('[data-testid=conversation-title]:text-is("Weekend plans")').waitFor();
      await item(c).locator('[data-testid=chat-item-title]:text-is("Weekend plans")').waitFor();
      const member = (id: string) => a.locator(`[data-testid=member][data-user-id="${id}"]`);
      await member(boris.auth.user.id).locator('[data-testid=member-role]').click();
      await member(boris.auth.user.id).locator('[data-role=admin]').waitFor();
      await member(carl.auth.user.id).locator('[data-testid=member-remove]').click();
      // Asked first: cancelling keeps Carl, confirming removes him.
      await a.click('[data-testid=confirm-cancel]');
      expect(await member(carl.auth.user.id).count()).toBe(1);
      await member(carl.auth.user.id).locator('[data-testid=member-remove]').click();
      await a.click('[data-testid=confirm-accept]');
      await member(carl.auth.user.id).waitFor({ state: 'detached' });
      await item(c).waitFor({ state: 'detached' });
      await shoot(a, 'desktop-light-group-info');
      await a.click('[data-testid=chat-info-close]');

      if (SHOTS) {
        await a.click('[data-testid=emoji-button]');
        await a.locator('emoji-picker').waitFor();
        await a.waitForTimeout(1500);
        await shoot(a, 'desktop-light-emoji-picker');
        await a.keyboard.press('Escape');
        const last = message(a, `@${boris.auth.user.username} are you in? 🎉`);
        await last.hover();
        await last.locator('[data-testid=message-menu]').click();
        await shoot(a, 'desktop-light-message-menu');
        await a.setViewportSize({ width: 360, height: 740 });
        await a.emulateMedia({ colorScheme: 'dark' });
        await shoot(a, 'mobile-dark-group');
      }
    } finally {
      await Promise.all([anna.context.close(), boris.context.close(), carl.context.close()]);
    }
  }, 90_000);

  it('opens a long chat on the first unread under a divider and loads older history upward, keeping the position', async () => {
    const reader = await person('Rita Reader');
    const writer = newUser({ displayName: 'Walter Writer' });
    const reg = await stage.site.api.http.post('/api/auth/register').send(writer);
    const token = (reg.body as AuthView).accessToken;
    const auth = (r: ReturnType<typeof stage.site.api.http.post>) => r.set('Authorization', `Bearer ${token}`);
    try {
      const chat = (await auth(stage.site.api.http.post('/api/chats')).send({ userIds: [reader.auth.user.id] })).body as { id: string };
      const seqs: number[] = [];
      for (let i = 1; i <= 130; i += 1) {
        const m = await auth(stage.site.api.http.post(`/api/chats/${chat.id}/messages`)).send({ clientId: `hist-${chat.id}-${i}`, text: `history ${i}` });
        seqs.push((m.body as { seq: number }).seq);
      }
      // Rita has read the first 100 (over the API, as another device of hers would).
      await stage.site.api.http.post(`/api/chats/${chat.id}/read`).set('Authorization', `Bearer ${reader.auth.accessToken}`).send({ seq: seqs[99] });
      const p = reader.page;
      await p.goto(`${stage.site.baseUrl}/`);
      await p.locator(`[data-testid=chat-item][data-chat-id="${chat.id}"] [data-testid=chat-item-unread]:text-is("30")`).waitFor();
      await p.click(`[data-testid=chat-item][data-chat-id="${chat.id}"]`);
      const divider = p.locator('[data-testid=unread-divider]');
      await divider.waitFor();
      // The divider sits right above "history 101" and is on screen.
      const next = await divider.evaluate((el) => {
        const after = [...document.querySelectorAll('[data-testid=message]')].find((m) => el.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING);
        return after?.querySelector('[data-testid=message-text]')?.textContent;
      });
      expect(next).toBe('history 101');
      expect(await divider.isVisible()).toBe(true);
      // It stays there (nothing scrolls it away to the bottom afterwards).
      await p.waitForTimeout(500);
      expect(await divider.isVisible()).toBe(true);
      await shoot(p, 'desktop-light-unread-divider');

      // Scrolling to the top loads the page before, and the message on screen stays where it was.
      // The older page is held back until the position before it arrives has been read.
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      await p.route((url) => url.pathname === `/api/chats/${chat.id}/messages` && url.searchParams.has('before'), async (route) => {
        await held;
        await route.continue();
      });
      const anchor = message(p, 'history 81');
      await p.locator('[data-testid=message-list]').evaluate((el) => el.scrollTo({ top: 0 }));
      await anchor.waitFor();
      const before = await anchor.evaluate((el) => el.getBoundingClientRect().top);
      release();
      await p.locator('[data-testid=message-list][data-loaded="100"]').waitFor({ state: 'attached' });
      await p.waitForTimeout(100);
      const after = await anchor.evaluate((el) => el.getBoundingClientRect().top);
      expect(Math.abs(after - before)).toBeLessThan(4);
      await p.locator('[data-testid=message-list]').evaluate((el) => el.scrollTo({ top: 0 }));
      await p.locator('[data-testid=message-list][data-loaded="130"]').waitFor({ state: 'attached' });
      expect(await scrolledThrough(p)).toEqual(Array.from({ length: 130 }, (_, i) => `history ${i + 1}`));
    } finally {
      await reader.context.close();
    }
  }, 60_000);
});
