import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { openChat, sendMessage } from '../apps/api/test/support/chats.js';
import { openChatPage, person, type Person } from './support/people.js';
import { useSiteAndBrowser } from './support/servers.js';

/** A page server of the test's own, allow-listed for the API's link fetcher (private addresses are refused otherwise). */
let pages: Server;
let pagesUrl: string;
beforeAll(async () => {
  const png = await sharp({ create: { width: 800, height: 400, channels: 3, background: '#cc3366' } }).png().toBuffer();
  pages = createServer((req, res) => {
    if (req.url === '/story') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><head>
        <meta property="og:title" content="&lt;img src=x onerror=alert(1)&gt; Big story">
        <meta property="og:description" content="Told in plain text"><meta property="og:site_name" content="Local Paper">
        <meta property="og:image" content="/story.png"></head></html>`);
    } else if (req.url === '/story.png') res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    else res.writeHead(404).end();
  });
  pages.on('connection', (s) => s.unref());
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  pagesUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
});
afterAll(async () => {
  pages.closeAllConnections();
  await new Promise((r) => pages.close(r));
});

const stage = useSiteAndBrowser({ LINK_PREVIEW_ALLOW_HOSTS: '127.0.0.1' });
const people: Person[] = [];
afterEach(async () => {
  await Promise.all(people.splice(0).map((p) => p.context.close()));
}, 60_000);

describe('link previews in the chat', () => {
  it('the card arrives live under the bubble as text, opens in a new tab without an opener, and the sender removes it', async () => {
    const ann = await person(stage.site, stage.browser, 'Ann Linker');
    const bob = await person(stage.site, stage.browser, 'Bob Reader');
    people.push(ann, bob);
    const chat = await openChat(stage.site.api.http, ann.token, [bob.id]);
    await sendMessage(stage.site.api.http, ann.token, chat.id, 'hi Bob');
    await openChatPage(stage.site, bob.page, chat.id);
    await openChatPage(stage.site, ann.page, chat.id);
    await sendMessage(stage.site.api.http, ann.token, chat.id, `read ${pagesUrl}/story`);
    const card = bob.page.locator('[data-testid=link-preview]');
    await card.waitFor({ timeout: 20_000 });
    expect(await card.locator('[data-testid=link-preview-title]').textContent()).toBe('<img src=x onerror=alert(1)> Big story');
    expect(await card.locator('img[src^="/api/link-previews/"]').count()).toBe(1);
    await card.locator('img').evaluate((img: HTMLImageElement) => (img.complete ? null : new Promise((r) => (img.onload = r))));
    expect(await card.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(480);
    const link = card.locator('a');
    expect(await link.getAttribute('href')).toBe(`${pagesUrl}/story`);
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    // Only the sender has the ×.
    expect(await card.locator('[data-testid=link-preview-remove]').count()).toBe(0);
    await ann.page.locator('[data-testid=link-preview-remove]').click({ timeout: 20_000 });
    await card.waitFor({ state: 'detached', timeout: 20_000 });
    await bob.page.reload();
    await bob.page.waitForSelector('[data-testid=composer-input]');
    await bob.page.locator('[data-testid=message]').first().waitFor();
    expect(await bob.page.locator('[data-testid=link-preview]').count()).toBe(0);
  }, 120_000);
});
