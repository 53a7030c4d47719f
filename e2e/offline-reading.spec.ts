import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { HistoryView } from '@app/contracts';
import { openChat, sendMessage } from '../apps/api/test/support/chats.js';
import { bearer } from '../apps/api/test/support/factories.js';
import { openChatPage, person, type Person } from './support/people.js';
import { useSiteAndBrowser } from './support/servers.js';
import { signOutViaUi } from './support/web.js';

const stage = useSiteAndBrowser();
const people: Person[] = [];
afterEach(async () => {
  await Promise.all(people.splice(0).map((p) => p.context.close()));
}, 60_000);

/** Set LOOK_SCREENSHOTS=<dir> to keep the offline reader. */
const SHOTS = process.env.LOOK_SCREENSHOTS;
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

/** The keys the app saved for offline reading (IndexedDB messenger-saved / kv). */
const savedKeys = (page: Page): Promise<string[]> =>
  page.evaluate(
    () =>
      new Promise<string[]>((resolve) => {
        const req = indexedDB.open('messenger-saved');
        req.onupgradeneeded = () => req.transaction?.abort();
        req.onerror = () => resolve([]);
        req.onsuccess = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains('kv')) return resolve([]);
          const keys = db.transaction('kv').objectStore('kv').getAllKeys();
          keys.onsuccess = () => resolve(keys.result.map(String));
          keys.onerror = () => resolve([]);
        };
      }),
  );

it('offline, the installed app shows the saved chats and messages; a message typed there is sent once when the network is back; sign-out deletes what was saved', async () => {
  const [ann, bob] = [await person(stage.site, stage.browser, 'Ann Offline'), await person(stage.site, stage.browser, 'Bob Online')];
  people.push(ann, bob);
  const http = stage.site.api.http;
  const chat = await openChat(http, bob.token, [ann.id]);
  await sendMessage(http, bob.token, chat.id, 'first saved message');
  await sendMessage(http, bob.token, chat.id, 'second saved message');

  const a = ann.page;
  await openChatPage(stage.site, a, chat.id);
  await a.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
  await a.waitForFunction(async () => (await navigator.serviceWorker.ready).active?.state === 'activated', null, { timeout: 20_000 });
  for (let i = 0; i < 100 && !(await savedKeys(a)).includes(`msgs:${chat.id}`); i += 1) await a.waitForTimeout(100);
  expect(await savedKeys(a)).toEqual(expect.arrayContaining(['me', 'chats', 'opened', `msgs:${chat.id}`]));

  // The network goes: nothing from the browser's HTTP cache, only what the worker and IndexedDB keep.
  const cdp = await ann.context.newCDPSession(a);
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await ann.context.setOffline(true);
  await a.reload().catch(() => null);
  await a.locator('[data-testid=offline-bar]', { hasText: 'Offline — showing saved messages' }).waitFor();
  await a.click(`[data-testid=offline-chat][data-chat-id="${chat.id}"]`);
  const shown = a.locator('[data-testid=offline-message]');
  await shown.filter({ hasText: 'second saved message' }).waitFor();
  expect(await shown.filter({ hasText: 'first saved message' }).count()).toBe(1);
  expect(await a.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  // Markup in a saved message stays text.
  expect(await a.locator('[data-testid=offline-reader] script, [data-testid=offline-reader] img').count()).toBe(0);

  await a.fill('[data-testid=offline-input]', 'typed while offline');
  await a.click('[data-testid=offline-send]');
  await shown.filter({ hasText: 'typed while offline' }).filter({ hasText: 'Will be sent when you are back online' }).waitFor();
  if (SHOTS) await a.screenshot({ path: join(SHOTS, 'offline-reader-1280-light-en.png') });

  // Back online: the page returns to the app, whose outbox sends it, once.
  await ann.context.setOffline(false);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await a.waitForSelector('[data-testid=composer-input]', { timeout: 30_000 });
  const stored = async (): Promise<number> => {
    const page = (await http.get(`/api/chats/${chat.id}/messages`).set(...bearer(bob.token)).expect(200)).body as HistoryView;
    return page.items.filter((m) => m.text === 'typed while offline').length;
  };
  for (let i = 0; i < 100 && (await stored()) === 0; i += 1) await a.waitForTimeout(100);
  await a.waitForTimeout(500);
  expect(await stored()).toBe(1);

  await signOutViaUi(a, stage.site.baseUrl);
  for (let i = 0; i < 50 && (await savedKeys(a)).length > 0; i += 1) await a.waitForTimeout(100);
  expect(await savedKeys(a)).toEqual([]);
}, 90_000);
