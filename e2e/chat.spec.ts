import { useSiteAndBrowser } from './support/servers.js';
import { dropSocket, message, person as personOn, send, shoot, SHOTS, waitRows, type NetworkSwitch, type Row } from './support/chat-page.js';

const stage = useSiteAndBrowser();
const person = (displayName: string, net?: NetworkSwitch) => personOn(stage, displayName, net);


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
});
