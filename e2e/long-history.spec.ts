import type { AuthView } from '@app/contracts';
import { useSiteAndBrowser } from './support/servers.js';
import { newUser, signInViaUi } from './support/web.js';

const stage = useSiteAndBrowser();

const TOTAL = 5000;
const READ = 4920;

describe('a long chat', () => {
  it(`keeps fewer than 200 message nodes in the DOM with ${TOTAL} messages, and opens on the first unread`, async () => {
    const api = stage.site.api.http;
    const readerReq = newUser({ displayName: 'Lena Long' });
    const reader = (await api.post('/api/auth/register').send(readerReq)).body as AuthView;
    const writer = (await api.post('/api/auth/register').send(newUser({ displayName: 'Wes Writer' }))).body as AuthView;
    const as = (token: string) => ['Authorization', `Bearer ${token}`] as const;
    const chat = (await api.post('/api/chats').set(...as(writer.accessToken)).send({ userIds: [reader.user.id] })).body as { id: string };
    for (let from = 1; from <= TOTAL; from += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, TOTAL - from + 1) }, (_, i) =>
          api.post(`/api/chats/${chat.id}/messages`).set(...as(writer.accessToken)).send({ clientId: `long-${from + i}`, text: `line ${from + i}` }).expect(201),
        ),
      );
    }
    const history = (await api.get(`/api/chats/${chat.id}/messages`).query({ limit: 1 }).set(...as(reader.accessToken))).body as { items: { seq: number }[] };
    const lastSeq = history.items[0].seq;
    const readSeq = lastSeq - (TOTAL - READ);
    await api.post(`/api/chats/${chat.id}/read`).set(...as(reader.accessToken)).send({ seq: readSeq }).expect(200);
    // Sends went in parallel, so the first unread message is whichever got seq readSeq + 1.
    const firstUnread = (await api.get(`/api/chats/${chat.id}/messages`).query({ before: readSeq + 2, limit: 1 }).set(...as(reader.accessToken))).body as { items: { seq: number; text: string }[] };
    expect(firstUnread.items[0].seq).toBe(readSeq + 1);

    const context = await stage.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      await signInViaUi(page, stage.site.baseUrl, readerReq.username, readerReq.password);
      await page.click(`[data-testid=chat-item][data-chat-id="${chat.id}"]`);
      const list = page.locator('[data-testid=message-list]');
      const divider = page.locator('[data-testid=unread-divider]');
      await divider.waitFor();
      // On screen, inside the list's viewport, with the first unread message right below it.
      const placed = await list.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const d = el.querySelector('[data-testid=unread-divider]')?.getBoundingClientRect();
        const after = [...el.querySelectorAll('[data-testid=message]')].find((m) => {
          const r = m.getBoundingClientRect();
          return d !== undefined && r.top >= d.bottom - 1;
        });
        return { inView: d !== undefined && d.top >= box.top - 1 && d.bottom <= box.bottom + 1, next: after?.querySelector('[data-testid=message-text]')?.textContent };
      });
      expect(placed).toEqual({ inView: true, next: firstUnread.items[0].text });

      // Load a large part of the history by scrolling up; the DOM stays small.
      for (let i = 0; i < 60; i += 1) {
        const loaded = Number(await list.getAttribute('data-loaded'));
        if (loaded >= 600) break;
        await list.evaluate((el) => el.scrollTo({ top: 0 }));
        await page.waitForFunction((n) => Number(document.querySelector('[data-testid=message-list]')?.getAttribute('data-loaded')) > n, loaded, { timeout: 10_000 });
      }
      expect(Number(await list.getAttribute('data-loaded'))).toBeGreaterThanOrEqual(600);
      const nodes = await page.locator('[data-testid=message]').count();
      expect(nodes).toBeGreaterThan(5);
      expect(nodes).toBeLessThan(200);
    } finally {
      await context.close();
    }
  }, 180_000);
});
