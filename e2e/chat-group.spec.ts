import type { Page } from 'playwright-core';
import type { AuthView } from '@app/contracts';
import { newUser } from './support/web.js';
import { useSiteAndBrowser } from './support/servers.js';
import { message, person as personOn, scrolledThrough, shoot, SHOTS, type NetworkSwitch } from './support/chat-page.js';

const stage = useSiteAndBrowser();
const person = (displayName: string, net?: NetworkSwitch) => personOn(stage, displayName, net);

describe('groups and long chats in the browser', () => {
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
