import type { ChatView, MessageView } from '@app/contracts';
import { register, bearer } from '../apps/api/test/support/factories.js';
import { useSiteAndBrowser } from './support/servers.js';
import { signInViaUi } from './support/web.js';

const stage = useSiteAndBrowser();

const MOSCOW = 'Europe/Moscow';

/** The text of every `<time datetime="…">` for one instant in server-rendered HTML. */
function timesInHtml(html: string, iso: string): string[] {
  const re = new RegExp(`<time[^>]*datetime="${iso.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>([^<]*)</time>`, 'g');
  return [...html.matchAll(re)].map((m) => m[1] ?? '');
}

describe('dates in the user\'s time zone', () => {
  it('renders a Moscow user\'s clock on a UTC server, the same before and after hydration', async () => {
    const { http } = stage.site.api;
    const anna = await register(http, { displayName: 'Anna' });
    const boris = await register(http, { displayName: 'Boris' });
    const chat = (await http.post('/api/chats').set(...bearer(anna.token)).send({ userIds: [boris.auth.user.id] })).body as ChatView;
    const sent = await http.post(`/api/chats/${chat.id}/messages`).set(...bearer(anna.token)).send({ clientId: 'tz-1', text: 'what time is it?' });
    expect(sent.status).toBe(201);
    const at = (sent.body as MessageView).createdAt;
    const clock = (timeZone: string) => new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(at));
    // Moscow is UTC+3 all year, so the two clocks never agree and the check below can fail.
    expect(clock(MOSCOW)).not.toBe(clock('UTC'));

    const context = await stage.browser.newContext({ timezoneId: MOSCOW, locale: 'en-US', viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (/hydrat|mismatch/i.test(m.text())) problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));

      // The sign-in page (no dates on it) is where the browser first tells the server its zone.
      await signInViaUi(page, stage.site.baseUrl, anna.auth.user.username, anna.password);

      const response = await page.goto(`${stage.site.baseUrl}/?chat=${chat.id}`);
      const ssr = timesInHtml((await response?.text()) ?? '', at);
      // The chat list is rendered on the server; its row shows the clock (the message is from today).
      expect(ssr).toEqual([clock(MOSCOW)]);

      await page.waitForSelector('[data-testid=message-text]');
      await page.waitForLoadState('networkidle');
      // Past hydration and onNuxtReady (an idle callback), where the zone would switch if it differed.
      await page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => setTimeout(resolve, 200))));
      // The list row as hydrated, then the message bubble the browser rendered itself.
      const hydrated = await page.$$eval(`time[datetime="${at}"]`, (els) => els.map((el) => el.textContent ?? ''));
      expect(hydrated).toEqual([...ssr, clock(MOSCOW)]);
      expect(problems).toEqual([]);
      const cookie = (await context.cookies()).find((c) => c.name === 'msg_tz');
      expect(decodeURIComponent(cookie?.value ?? '')).toBe(MOSCOW);
    } finally {
      await context.close();
    }
  });
});
