import { randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import type { ChatView, MediaView } from '@app/contracts';
import { bearer, register, type Registered } from '../apps/api/test/support/factories.js';
import { openChat } from '../apps/api/test/support/chats.js';
import { files, uploaded } from '../apps/api/test/support/media.js';
import { contrast } from './support/look.js';
import { useSiteAndBrowser } from './support/servers.js';
import { open, signInViaUi } from './support/web.js';

const stage = useSiteAndBrowser();

interface Found {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** Serious and critical axe violations on the page as it is now (WCAG 2.x A and AA rules). */
async function violations(page: Page): Promise<Found[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.any[0]?.message ?? n.failureSummary ?? ''}`) }));
}

let anna: Registered;
let boris: Registered;
let chat: ChatView;
let photo: MediaView;

beforeAll(async () => {
  const http = stage.site.api.http;
  [anna, boris] = await Promise.all([register(http, { displayName: 'Anna Access' }), register(http, { displayName: 'Boris Access' })]);
  chat = await openChat(http, anna.token, [boris.auth.user.id]);
  photo = await uploaded(http, anna.token, await files.png(640, 480), 'photo.png');
  for (const text of ['Hello Boris', 'How are you?']) {
    await http.post(`/api/chats/${chat.id}/messages`).set(...bearer(anna.token)).send({ clientId: randomUUID(), text }).expect(201);
  }
  await http.post(`/api/chats/${chat.id}/messages`).set(...bearer(anna.token)).send({ clientId: randomUUID(), text: 'Look', mediaIds: [photo.id] }).expect(201);
  await http.post(`/api/chats/${chat.id}/messages`).set(...bearer(boris.token)).send({ clientId: randomUUID(), text: 'Fine, thanks' }).expect(201);
}, 60_000);

it('the unread counter of the tab bar is legible (AA contrast), in both themes', async () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    const context = await stage.browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme });
    try {
      const p = await context.newPage();
      await signInViaUi(p, stage.site.baseUrl, anna.auth.user.username, anna.password);
      const badge = p.locator('[data-testid=nav-chats-badge]');
      await badge.waitFor();
      const [fg, bg] = await badge.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]);
      expect(contrast(fg!, bg!)).toBeGreaterThanOrEqual(4.5);
    } finally {
      await context.close();
    }
  }
});

describe.each(['light', 'dark'] as const)('axe in the %s theme: no serious or critical violations', (scheme) => {
  async function page(width = 1280, signedIn = true): Promise<Page> {
    const context = await stage.browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme });
    const p = await context.newPage();
    if (signedIn) await signInViaUi(p, stage.site.baseUrl, anna.auth.user.username, anna.password);
    return p;
  }

  it('on the sign-in page', async () => {
    const p = await page(1280, false);
    try {
      await open(p, stage.site.baseUrl, '/login');
      expect(await violations(p)).toEqual([]);
    } finally {
      await p.context().close();
    }
  });

  it('on the chat list and in a conversation', async () => {
    const p = await page();
    try {
      await p.locator('[data-testid=chat-item]').first().waitFor();
      expect(await violations(p)).toEqual([]);
      await p.click(`[data-testid=chat-item][data-chat-id="${chat.id}"]`);
      await p.locator('[data-testid=message-text]', { hasText: 'How are you?' }).waitFor();
      expect(await p.getAttribute('[data-testid=message-list]', 'role')).toBe('log');
      expect(await violations(p)).toEqual([]);
    } finally {
      await p.context().close();
    }
  });

  // One page per test: four scans in one test outlasted its 30 s on a loaded machine.
  it.each(['/settings/profile', '/settings/privacy', '/settings/appearance', '/settings/sessions'])('on the settings page %s', async (path) => {
    const p = await page();
    try {
      await open(p, stage.site.baseUrl, path);
      expect({ path, found: await violations(p) }).toEqual({ path, found: [] });
    } finally {
      await p.context().close();
    }
  });

  it('in the gallery and the viewer', async () => {
    const p = await page();
    try {
      await open(p, stage.site.baseUrl, `/chats/${chat.id}/media`);
      await p.locator('[data-testid=gallery-item]').first().waitFor();
      expect(await violations(p)).toEqual([]);
      await p.click(`[data-testid=gallery-item][data-media-id="${photo.id}"]`);
      await p.waitForSelector('[data-testid=media-viewer][open]');
      expect(await violations(p)).toEqual([]);
    } finally {
      await p.context().close();
    }
  });
});

describe('menus work with the keyboard', () => {
  it("a message's ⋯ menu: Enter opens it on the first action, arrows move, Esc closes and returns focus", async () => {
    const context = await stage.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const p = await context.newPage();
    try {
      await signInViaUi(p, stage.site.baseUrl, anna.auth.user.username, anna.password);
      await p.click(`[data-testid=chat-item][data-chat-id="${chat.id}"]`);
      const bubble = p.locator('[data-testid=message]', { has: p.locator('[data-testid=message-text]', { hasText: 'How are you?' }) });
      await bubble.waitFor();
      const more = bubble.locator('[data-testid=message-menu]');
      await more.focus();
      const focused = () => p.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? null);
      await p.keyboard.press('Enter');
      await bubble.locator('[data-testid=message-menu-panel]').waitFor();
      expect(await focused()).toBe('action-reply');
      await p.keyboard.press('ArrowDown');
      expect(await focused()).toBe('action-forward');
      await p.keyboard.press('End');
      expect(await focused()).toBe('action-delete');
      await p.keyboard.press('ArrowDown');
      expect(await focused()).toBe('action-reply');
      await p.keyboard.press('Escape');
      await bubble.locator('[data-testid=message-menu-panel]').waitFor({ state: 'detached' });
      expect(await focused()).toBe('message-menu');
      // ↑ on the button opens the menu on its last action.
      await p.keyboard.press('ArrowUp');
      await bubble.locator('[data-testid=message-menu-panel]').waitFor();
      expect(await focused()).toBe('action-delete');
      await p.keyboard.press('Escape');
    } finally {
      await context.close();
    }
  });
});
