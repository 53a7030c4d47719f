import type { BrowserContext, Page } from 'playwright-core';
import type { AuthView, ChatView } from '@app/contracts';
import { openChat } from '../apps/api/test/support/chats.js';
import { files } from '../apps/api/test/support/media.js';
import { useSiteAndBrowser } from './support/servers.js';
import { newUser, signInViaUi } from './support/web.js';

const stage = useSiteAndBrowser();
const contexts: BrowserContext[] = [];

async function person(displayName: string): Promise<{ auth: AuthView; page: Page }> {
  const req = newUser({ displayName });
  const res = await stage.site.api.http.post('/api/auth/register').send(req);
  const context = await stage.browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  await signInViaUi(page, stage.site.baseUrl, req.username, req.password);
  return { auth: res.body as AuthView, page };
}

afterAll(async () => {
  for (const c of contexts) await c.close();
});

it('lets an admin crop and set the group photo and describe the group; members see both live; each member picks a wallpaper', async () => {
  const olga = await person('Olga Photo');
  const max = await person('Max Member');
  const group: ChatView = await openChat(stage.site.api.http, olga.auth.accessToken, [max.auth.user.id], 'Photo club');
  for (const p of [olga, max]) {
    await p.page.goto(`${stage.site.baseUrl}/?chat=${group.id}`);
    await p.page.waitForSelector('[data-testid=service-message]');
  }
  const o = olga.page;
  await o.click('[data-testid=conversation-info]');
  await o.setInputFiles('[data-testid=group-avatar-input]', { name: 'photo.png', mimeType: 'image/png', buffer: await files.png(900, 600) });
  await o.waitForSelector('[data-testid=avatar-crop] .vue-advanced-cropper__stretcher, [data-testid=avatar-crop] .vue-advanced-cropper');
  await o.waitForTimeout(300);
  await o.click('[data-testid=avatar-crop-save]');
  await o.waitForSelector('[data-testid=avatar-crop]', { state: 'detached' });

  await o.fill('[data-testid=group-description-input]', 'Film, light and\nlong walks');
  await o.click('[data-testid=group-description-save]');

  // The member sees the picture (header and list), the description and the service line, without reloading.
  const m = max.page;
  await m.waitForSelector('[data-testid=conversation-header] img[src*="/api/media/group-avatars/"]', { timeout: 15_000 });
  await m.waitForSelector(`[data-testid=chat-item][data-chat-id="${group.id}"] img[src*="/api/media/group-avatars/"]`);
  await m.waitForFunction(() => [...document.querySelectorAll('[data-testid=service-message]')].some((e) => e.textContent === 'Olga Photo changed the group photo'), undefined, { timeout: 15_000 });
  await m.click('[data-testid=conversation-info]');
  await m.waitForFunction(() => document.querySelector('[data-testid=group-description]')?.textContent === 'Film, light and\nlong walks', undefined, { timeout: 15_000 });
  // A member cannot change them.
  expect(await m.locator('[data-testid=group-avatar-choose]').count()).toBe(0);
  expect(await m.locator('[data-testid=group-description-input]').count()).toBe(0);

  // Wallpaper: mine only.
  await m.setInputFiles('[data-testid=chat-wallpaper-input]', { name: 'wall.png', mimeType: 'image/png', buffer: await files.png(1200, 800) });
  await m.waitForSelector('[data-testid=conversation-pane].own-wallpaper', { timeout: 15_000 });
  const bg = await m.$eval('[data-testid=conversation-pane]', (el) => getComputedStyle(el).backgroundImage);
  expect(bg).toMatch(/\/api\/media\/wallpapers\/[0-9a-f-]{36}-large\.webp/);
  await o.reload();
  await o.waitForSelector('[data-testid=service-message]');
  expect(await o.locator('[data-testid=conversation-pane].own-wallpaper').count()).toBe(0);
  await m.click('[data-testid=chat-wallpaper-remove]');
  await m.waitForSelector('[data-testid=conversation-pane].own-wallpaper', { state: 'detached' });
}, 60_000);
