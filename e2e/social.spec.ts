import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { RegisterRequest } from '@app/contracts';
import { useSiteAndBrowser } from './support/servers.js';
import { newUser, open, registerViaUi, signInViaUi } from './support/web.js';
import { register } from '../apps/api/test/support/factories.js';

const stage = useSiteAndBrowser();
const contexts: BrowserContext[] = [];

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
});

/** A user registered through the UI in a browser context of their own. */
async function signedIn(user: RegisterRequest): Promise<Page> {
  const context = await stage.browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  await registerViaUi(page, stage.site.baseUrl, user);
  return page;
}

/** The username with two different inner letters swapped: a typo search must still find it. */
function typoOf(username: string): string {
  const chars = [...username];
  for (let i = 2; i < chars.length - 1; i += 1) {
    if (chars[i] !== chars[i + 1]) {
      [chars[i], chars[i + 1]] = [chars[i + 1] as string, chars[i] as string];
      return chars.join('');
    }
  }
  throw new Error(`no typo possible in ${username}`);
}

const cardOf = (scope: Page | Locator, username: string) => scope.locator(`[data-testid=user-card][data-username="${username}"]`);
const stateOf = (card: Locator, state: string) => card.locator(`[data-testid=user-actions][data-state=${state}]`);
const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

describe('friends, search and blocks in the browser', () => {
  it('two users befriend each other and each sees the other’s change live; unfriend, block and unblock', async () => {
    const alice = newUser();
    const bob = newUser({ displayName: `Bob ${Date.now().toString(36)}` });
    const [a, b] = await Promise.all([signedIn(alice), signedIn(bob)]);

    // Bob waits on his incoming requests tab.
    await b.click('[data-testid=nav-friends]');
    await b.click('[data-testid=friends-tab-incoming]');
    await b.waitForSelector('[data-testid=incoming-empty]');
    expect(await b.isVisible('[data-testid=nav-friends-badge]')).toBe(false);

    // Alice finds Bob with a typo in his username and sends a request from the result card.
    await a.click('[data-testid=nav-search]');
    const typo = typoOf(bob.username);
    await a.fill('[data-testid=search-input]', typo);
    const bobCard = cardOf(a, bob.username);
    await bobCard.waitFor();
    expect(new URL(a.url()).searchParams.get('q')).toBe(typo);
    await bobCard.locator('[data-testid=action-add-friend]').click();
    await stateOf(bobCard, 'request_sent').waitFor();
    expect(await bobCard.locator('[data-testid=relationship-chip]').innerText()).toContain('Request sent');

    // Bob sees the badge and the request arrive without reloading.
    await b.waitForSelector('[data-testid=nav-friends-badge]:has-text("1")');
    await b.waitForSelector('[data-testid=friends-tab-incoming-count]:has-text("1")');
    const request = cardOf(b.getByTestId('incoming-list'), alice.username);
    await request.waitFor();

    // A reload renders the badge and the request on the server.
    const html = (await (await b.reload())?.text()) ?? '';
    expect(html).toMatch(/data-testid="nav-friends-badge"[^>]*>\s*<span[^>]*>1</);
    expect(html).toContain(`data-username="${alice.username}"`);
    await b.waitForLoadState('networkidle');

    await request.locator('[data-testid=action-accept]').click();
    await request.waitFor({ state: 'detached' });
    await b.waitForSelector('[data-testid=nav-friends-badge]', { state: 'detached' });

    // Alice's card turns to "friends" without reloading.
    await stateOf(bobCard, 'friends').waitFor();

    // Both see each other in their friends lists.
    await a.click('[data-testid=nav-friends]');
    const bobRow = cardOf(a.getByTestId('friends-list'), bob.username);
    await bobRow.waitFor();
    await b.click('[data-testid=friends-tab-friends]');
    const aliceRow = cardOf(b.getByTestId('friends-list'), alice.username);
    await aliceRow.waitFor();
    expect(await aliceRow.getByTestId('user-card-name').innerText()).toBe(alice.displayName);

    // Alice unfriends Bob from the list; Bob's list loses her live.
    await bobRow.getByTestId('user-menu-button').click();
    await a.click('[data-testid=menu-unfriend]');
    await a.click('[data-testid=confirm-accept]');
    await bobRow.waitFor({ state: 'detached' });
    await aliceRow.waitFor({ state: 'detached' });
    await b.waitForSelector('[data-testid=friends-empty]');

    // Block from the search card, with the keyboard: the menu opens, moves, closes on Esc.
    await open(a, stage.site.baseUrl, `/search?q=${encodeURIComponent(bob.username)}`);
    const card = cardOf(a, bob.username);
    await stateOf(card, 'none').waitFor();
    await card.getByTestId('user-menu-button').focus();
    await a.keyboard.press('Enter');
    await a.waitForSelector('[data-testid=user-menu]');
    expect(await focused(a)).toBe('menu-message');
    await a.keyboard.press('End');
    expect(await focused(a)).toBe('menu-block');
    await a.keyboard.press('Escape');
    await a.waitForSelector('[data-testid=user-menu]', { state: 'detached' });
    expect(await focused(a)).toBe('user-menu-button');
    await a.keyboard.press('ArrowUp');
    expect(await focused(a)).toBe('menu-block');
    await a.keyboard.press('Enter');
    await a.waitForSelector('[data-testid=confirm-dialog]');
    await a.click('[data-testid=confirm-accept]');
    await stateOf(card, 'blocked').waitFor();
    expect(await card.getByTestId('relationship-chip').innerText()).toContain('Blocked');

    // The blocked list in settings shows him; back on the card (search no longer finds him,
    // but the results on screen stay), unblock.
    await a.click('[data-testid=nav-settings]');
    await a.click('[data-testid=settings-nav-blocked]');
    await cardOf(a.getByTestId('blocked-list'), bob.username).waitFor();
    await a.goBack();
    await a.goBack();
    await card.getByTestId('action-unblock').click();
    await stateOf(card, 'none').waitFor();
    await card.getByTestId('action-add-friend').waitFor();

    // Usable on a phone: nothing wider than the screen.
    await a.setViewportSize({ width: 360, height: 740 });
    expect(await a.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  }, 60_000);

  it('loads more search results as the list scrolls (keyset pages of 20)', async () => {
    const word = `Quokka${Date.now().toString(36)}`;
    const viewer = await register(stage.site.api.http);
    await Promise.all(Array.from({ length: 26 }, (_, i) => register(stage.site.api.http, { displayName: `${word} ${i}` })));
    const context = await stage.browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    await signInViaUi(page, stage.site.baseUrl, viewer.request.username, viewer.password);

    // Server-rendered first page.
    await open(page, stage.site.baseUrl, `/search?q=${word.toLowerCase()}`);
    const cards = page.locator('[data-testid=search-results] [data-testid=user-card]');
    expect(await cards.count()).toBe(20);
    await page.getByTestId('load-more').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=search-results] [data-testid=user-card]').length === 26);
    const names = await cards.locator('[data-testid=user-card-name]').allInnerTexts();
    expect(new Set(names).size).toBe(26);
    await page.waitForSelector('[data-testid=load-more-button]', { state: 'detached' });
  }, 60_000);
});
