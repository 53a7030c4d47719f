import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ACCENT_COLORS } from '@app/contracts';
import { openChat, sendMessage } from '../apps/api/test/support/chats.js';
import { bearer } from '../apps/api/test/support/factories.js';
import { files, uploaded } from '../apps/api/test/support/media.js';
import { messageRow, openChatPage, person, signIn, typeAndSend, type Person } from './support/people.js';
import { useSiteAndBrowser } from './support/servers.js';
import { contrast, layoutOf } from './support/look.js';
import { hydrated } from './support/web.js';

const stage = useSiteAndBrowser();
const http = () => stage.site.api.http;
const people: Person[] = [];
const who = async (name: string, opts: Parameters<typeof person>[3] = {}): Promise<Person> => {
  const p = await person(stage.site, stage.browser, name, opts);
  people.push(p);
  return p;
};
afterEach(async () => {
  await Promise.all(people.splice(0).map((p) => p.context.close()));
}, 60_000);

/** Set LOOK_SCREENSHOTS=<dir> to keep the chat list and a conversation at 1280 and 360 px, light and dark, English and Russian. */
const SHOTS = process.env.LOOK_SCREENSHOTS;

describe('how messages look', () => {
  it('pending and failed bubbles keep words whole and the time inside, in Russian at 360 px too; the composer hint fits one line', async () => {
    const bea = await who('Bea Blocker');
    const ivan = await who('Иван Отправитель', { width: 360, locale: 'ru' });
    const chat = await openChat(http(), ivan.token, [bea.id]);
    await sendMessage(http(), bea.token, chat.id, 'привет');
    const p = ivan.page;
    // The API can be cut off for this page (installed before it loads: WebSockets are routed by a page script).
    let cut = false;
    const offline = (u: URL): boolean => u.pathname.startsWith('/api/') || u.pathname.startsWith('/socket.io/');
    await ivan.context.route(offline, (r) => (cut ? r.abort('internetdisconnected') : r.continue()));
    await ivan.context.routeWebSocket(offline, (ws) => (cut ? ws.close() : ws.connectToServer()));
    await openChatPage(stage.site, p, chat.id);
    // Every finding is gathered and checked at the end, so one failure does not hide the others.
    const composerHeight = await p.$eval('[data-testid=composer-input]', (el) => (el as HTMLElement).offsetHeight);

    // The socket client is loaded after the page (it is not part of the first bundle): wait for it.
    await p.waitForFunction(() => {
      const root = document.querySelector('#__nuxt') as unknown as { __vue_app__?: { config: { globalProperties: Record<string, unknown> } } };
      const nuxt = root.__vue_app__?.config.globalProperties.$nuxt as { $realtime?: { socket: { connected: boolean } | null } } | undefined;
      return nuxt?.$realtime?.socket?.connected === true;
    }, undefined, { timeout: 15_000 });
    // Pending: the API is out of reach for a moment.
    cut = true;
    await p.evaluate(() => {
      const root = document.querySelector('#__nuxt') as unknown as { __vue_app__: { config: { globalProperties: Record<string, unknown> } } };
      const nuxt = root.__vue_app__.config.globalProperties.$nuxt as { $realtime: { socket: { io: { engine: { close(): void } } } } };
      nuxt.$realtime.socket.io.engine.close();
    });
    await ivan.context.setOffline(true);
    await p.locator('[data-testid=connection-status]').waitFor();
    await typeAndSend(p, 'Привет всем');
    await p.locator('[data-testid=message][data-state=pending]').waitFor();
    const pendingLayout = await layoutOf(p, '[data-testid=message][data-state=pending] [data-testid=message-text]');
    if (SHOTS) await p.screenshot({ path: join(SHOTS, 'bug10-pending-ru-360.png') });

    // Failed: Bea blocks Ivan; the send is refused and says why.
    await http().put(`/api/blocks/${ivan.id}`).set(...bearer(bea.token)).expect(204);
    cut = false;
    await ivan.context.setOffline(false);
    await p.locator('[data-testid=message][data-state=failed]').waitFor({ timeout: 30_000 });
    const failed = await p.$eval('[data-testid=message][data-state=failed] .failed-actions', (el) => {
      const lineOf = (e: Element) => parseFloat(getComputedStyle(e).lineHeight) || parseFloat(getComputedStyle(e).fontSize) * 1.45;
      return [...el.children].map((c) => ({
        lines: Math.round(c.getBoundingClientRect().height / lineOf(c)),
        clipped: (c as HTMLElement).scrollWidth > (c as HTMLElement).clientWidth + 1,
      }));
    });
    const failedLayout = await layoutOf(p, '[data-testid=message][data-state=failed] [data-testid=message-text]');
    expect({
      composerOneLine: composerHeight <= 44,
      pendingLayout,
      failedReason: await p.textContent('[data-testid=message][data-state=failed] .failed-label'),
      // The reason on at most two lines, each button on one, nothing cut.
      failedReasonLines: failed[0]!.lines <= 2,
      failedButtonLines: failed.slice(1).map((f) => f.lines),
      failedClipped: failed.some((f) => f.clipped),
      failedTimeInside: failedLayout.timeInside,
    }).toEqual({
      composerOneLine: true,
      pendingLayout: { timeInside: true, textLines: 1, overflows: false },
      failedReason: 'Не отправлено · Этому человеку нельзя написать',
      failedReasonLines: true,
      failedButtonLines: [1, 1],
      failedClipped: false,
      failedTimeInside: true,
    });
    if (SHOTS) await p.screenshot({ path: join(SHOTS, 'bug10-failed-ru-360.png') });
  }, 90_000);

  it('on a phone: no tab bar inside a conversation, and the open menu is drawn above the next message', async () => {
    const ann = await who('Ann Phone', { width: 360 });
    const bob = await who('Bob Desk');
    const chat = await openChat(http(), bob.token, [ann.id]);
    for (const text of ['first', 'second', 'third', 'fourth']) await sendMessage(http(), bob.token, chat.id, text);
    const p = ann.page;
    await p.goto(`${stage.site.baseUrl}/`);
    await p.locator('[data-testid=app-nav]').waitFor();
    expect(await p.isVisible('[data-testid=app-nav]')).toBe(true);
    await p.click(`[data-testid=chat-item][data-chat-id="${chat.id}"]`);
    await p.waitForSelector('[data-testid=composer-input]');
    const navInChat = await p.isVisible('[data-testid=app-nav]');
    await messageRow(p, 'second').locator('[data-testid=message-menu]').click();
    await p.locator('[data-testid=message-menu-panel]').waitFor();
    // Every quick reaction is really clickable: nothing (such as the next message's ⋯) lies on top.
    const covered = await p.$$eval('[data-testid=message-menu-panel] [data-testid=quick-reaction]', (buttons) =>
      buttons.filter((b) => {
        const r = b.getBoundingClientRect();
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return !top || !b.contains(top);
      }).length,
    );
    expect({ navInChat, covered }).toEqual({ navInChat: false, covered: 0 });
    await p.click('[data-testid=message-menu-panel] [data-testid=quick-reaction][data-emoji="👍"]');
    await messageRow(p, 'second').locator('[data-testid=reaction]').waitFor();
    await p.click('[data-testid=conversation-back]');
    await p.locator('[data-testid=app-nav]').waitFor();
  }, 60_000);

  it('the viewer counts a message\'s photos in their order: the first of four is "1 of 4"', async () => {
    const [ann, bob] = [await who('Ann Photos'), await who('Bob Viewer')];
    const chat = await openChat(http(), ann.token, [bob.id]);
    const media = [];
    for (let i = 0; i < 4; i += 1) media.push(await uploaded(http(), ann.token, await files.png(400 + i * 10, 300), `p${i}.png`));
    const sent = await http().post(`/api/chats/${chat.id}/messages`).set(...bearer(ann.token)).send({ clientId: randomUUID(), text: 'four', mediaIds: media.map((m) => m.id) });
    expect(sent.status).toBe(201);
    const p = bob.page;
    await openChatPage(stage.site, p, chat.id);
    await messageRow(p, 'four').locator('[data-testid=attachment]').first().click();
    await p.waitForSelector('[data-testid=media-viewer][open]');
    const position = p.locator('[data-testid=media-viewer-position]');
    await p.waitForFunction(() => document.querySelector('[data-testid=media-viewer-position]')?.textContent === '1 of 4');
    await p.keyboard.press('ArrowRight');
    await p.waitForFunction(() => document.querySelector('[data-testid=media-viewer-position]')?.textContent === '2 of 4');
    await p.keyboard.press('ArrowLeft');
    await p.waitForFunction(() => document.querySelector('[data-testid=media-viewer-position]')?.textContent === '1 of 4');
    expect(await position.textContent()).toBe('1 of 4');
  }, 60_000);

  it('emoji get a colour emoji font before any text font; every accent carries its text at 4.5:1 in light and dark', async () => {
    const [ann, bob] = [await who('Ann Accent'), await who('Bob Peer')];
    const chat = await openChat(http(), ann.token, [bob.id]);
    await sendMessage(http(), ann.token, chat.id, 'nice ❤️ 10/10 🎉');
    const p = ann.page;
    await openChatPage(stage.site, p, chat.id);
    await messageRow(p, 'nice ❤️ 10/10 🎉').waitFor();
    // Checked in the style (this machine has no colour emoji font to paint with): emoji font first, for emoji only.
    const fonts = await p.$eval('[data-testid=message-text]', (el) => {
      const stack = getComputedStyle(el).fontFamily.split(',').map((f) => f.trim().replace(/^["']|["']$/g, ''));
      const faces = [...document.styleSheets].flatMap((s) => {
        try {
          return [...s.cssRules].filter((r): r is CSSFontFaceRule => r instanceof CSSFontFaceRule);
        } catch {
          return [];
        }
      }).map((r) => ({ family: r.style.getPropertyValue('font-family').replace(/["']/g, '').trim(), range: r.style.getPropertyValue('unicode-range') }));
      return { stack, faces };
    });
    const emoji = ['Color Emoji', 'Apple Color Emoji', 'Segoe UI Emoji', 'Noto Color Emoji'];
    const firstEmoji = fonts.stack.findIndex((f) => emoji.includes(f));
    const firstText = fonts.stack.findIndex((f) => !emoji.includes(f));
    expect(firstEmoji).toBe(0);
    expect(firstText).toBeGreaterThan(firstEmoji);
    // The emoji face covers ❤ and 🎉 but not digits, so "10/10" stays in the text font.
    const ranges = fonts.faces.filter((f) => f.family === fonts.stack[0]).map((f) => f.range).join(',');
    const covers = (cp: number): boolean =>
      ranges.split(',').some((part) => {
        const [lo, hi] = part.trim().replace(/^U\+/i, '').split('-').map((h) => parseInt(h, 16));
        return cp >= lo! && cp <= (hi ?? lo!);
      });
    expect([covers(0x2764), covers(0x1f389), covers(0x30), covers(0x41)]).toEqual([true, true, false, false]);

    const ratio = async (): Promise<number> => {
      const c = await p.$eval('[data-testid=message].mine .bubble, .msg-row.mine .bubble', (el) => ({ bg: getComputedStyle(el).backgroundColor, fg: getComputedStyle(el).color }));
      return contrast(c.bg, c.fg);
    };
    const seen: Record<string, number> = {};
    for (const scheme of ['light', 'dark'] as const) {
      await p.emulateMedia({ colorScheme: scheme });
      seen[`default/${scheme}`] = await ratio();
      for (const accent of ACCENT_COLORS) {
        await http().patch('/api/users/me/appearance').set(...bearer(ann.token)).send({ accentColor: accent }).expect(200);
        await p.reload();
        await messageRow(p, 'nice ❤️ 10/10 🎉').waitFor();
        seen[`${accent}/${scheme}`] = await ratio();
      }
    }
    const low = Object.entries(seen).filter(([, r]) => r < 4.5);
    expect(low).toEqual([]);
  }, 90_000);
});

describe('asked before it is done', () => {
  it('signing out all other devices asks first; cancel keeps them', async () => {
    const ann = await who('Ann Sessions');
    const phone = await signIn(stage.site, stage.browser, ann);
    people.push(phone);
    const p = ann.page;
    await p.goto(`${stage.site.baseUrl}/settings/sessions`);
    await p.locator('[data-testid=session-item]').first().waitFor();
    await hydrated(p);
    const others = await p.locator('[data-testid=session-item]').count();
    expect(others).toBeGreaterThan(0);
    await p.click('[data-testid=revoke-others]');
    await p.locator('[data-testid=confirm-dialog]').waitFor();
    expect(await p.textContent('[data-testid=confirm-dialog]')).toContain('Sign out all other devices?');
    await p.click('[data-testid=confirm-cancel]');
    await p.reload();
    await p.locator('[data-testid=session-item]').first().waitFor();
    // A click on the server-rendered button before hydration does nothing (no dialog).
    await hydrated(p);
    expect(await p.locator('[data-testid=session-item]').count()).toBe(others);
    await p.click('[data-testid=revoke-others]');
    await p.click('[data-testid=confirm-accept]');
    await p.locator('[data-testid=form-success]').waitFor();
    await p.locator('[data-testid=session-item]').waitFor({ state: 'detached' });
    // The other device is signed out at once and lands on the sign-in page. Waiting for that also
    // keeps its context from being closed in the middle of that navigation, which the service
    // worker serves: Chromium can then hang disposing of the context.
    await phone.page.waitForURL(/\/login/);
    await phone.page.locator('[data-testid=password-input]').waitFor();
  }, 60_000);
});

describe('every look', () => {
  it('the chat list and a conversation at 1280 and 360 px, light and dark, English and Russian: nothing wider than the screen', async () => {
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    /** Nothing scrolls sideways, the page speaks `locale`, and its background is dark exactly when asked. */
    const fits = async (page: Person['page'], locale: string, dark: boolean): Promise<void> => {
      const seen = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        inner: window.innerWidth,
        lang: document.documentElement.lang,
        background: getComputedStyle(document.body).backgroundColor,
      }));
      expect(seen.scroll).toBeLessThanOrEqual(seen.inner);
      expect(seen.lang).toBe(locale);
      const [r = 0, g = 0, b = 0] = (seen.background.match(/\d+/g) ?? []).map(Number);
      expect(r + g + b < 384).toBe(dark);
    };
    for (const locale of ['en', 'ru'] as const) {
      const ru = locale === 'ru';
      const me = await who(ru ? 'Мария Иванова' : 'Maria Ivanova', { locale });
      const friend = await who(ru ? 'Пётр Смирнов' : 'Peter Smith', { locale });
      const dialog = await openChat(http(), friend.token, [me.id]);
      const lines = ru
        ? ['Привет! Как дела? 😊', 'Отлично, спасибо! Встречаемся завтра в 10:00 у входа ❤️', 'Договорились 👍']
        : ['Hi! How are you? 😊', 'Great, thanks! Meet tomorrow at 10:00 by the entrance ❤️', 'Deal 👍'];
      await sendMessage(http(), friend.token, dialog.id, lines[0]!);
      await sendMessage(http(), me.token, dialog.id, lines[1]!);
      await sendMessage(http(), friend.token, dialog.id, lines[2]!);
      const group = await openChat(http(), me.token, [friend.id], ru ? 'Выходные' : 'Weekend');
      await sendMessage(http(), friend.token, group.id, ru ? 'Кто едет за город?' : 'Who is going out of town?');
      for (const width of [1280, 360]) {
        for (const dark of [false, true]) {
          const view = await signIn(stage.site, stage.browser, me, { width, dark, locale });
          people.push(view);
          const name = `${locale}-${width}-${dark ? 'dark' : 'light'}`;
          await view.page.goto(`${stage.site.baseUrl}/`);
          await view.page.locator(`[data-testid=chat-item][data-chat-id="${dialog.id}"]`).waitFor();
          await fits(view.page, locale, dark);
          if (SHOTS) await view.page.screenshot({ path: join(SHOTS, `${name}-list.png`) });
          await view.page.click(`[data-testid=chat-item][data-chat-id="${dialog.id}"]`);
          await messageRow(view.page, lines[2]!).waitFor();
          await view.page.waitForTimeout(300);
          await fits(view.page, locale, dark);
          if (SHOTS) await view.page.screenshot({ path: join(SHOTS, `${name}-conversation.png`) });
          await view.context.close();
        }
      }
    }
  }, 180_000);
});
