import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import type { ChatView, GalleryItem, MediaView, MessageView, Page as ListPage } from '@app/contracts';
import { bearer, register, type Registered } from '../apps/api/test/support/factories.js';
import { openChat } from '../apps/api/test/support/chats.js';
import { clips, files, uploaded } from '../apps/api/test/support/media.js';
import { useSiteAndBrowser } from './support/servers.js';
import { open, signInViaUi } from './support/web.js';

const stage = useSiteAndBrowser();

/** Set MEDIA_SCREENSHOTS=<dir> to keep gallery and viewer screenshots (desktop, 360 px, light, dark). */
const SHOTS = process.env.MEDIA_SCREENSHOTS;
if (SHOTS) mkdirSync(SHOTS, { recursive: true });


interface Fixture {
  anna: Registered;
  boris: Registered;
  chat: ChatView;
  png: MediaView;
  mp4: MediaView;
  jpeg: MediaView;
}

/** Two people, a dialog, a message with a photo and a video, then one with another photo — all through the API. */
async function fixture(): Promise<Fixture> {
  const http = stage.site.api.http;
  const [anna, boris] = await Promise.all([register(http, { displayName: 'Anna Media' }), register(http, { displayName: 'Boris Media' })]);
  const chat = await openChat(http, anna.token, [boris.auth.user.id]);
  const [pngFile, mp4File, jpegFile] = await Promise.all([
    files.png(800, 600),
    clips.mp4({ seconds: 1 }),
    files.jpegWithGps(),
  ]);
  const png = await uploaded(http, anna.token, pngFile, 'photo.png');
  const mp4 = await uploaded(http, anna.token, mp4File, 'clip.mp4');
  const jpeg = await uploaded(http, anna.token, jpegFile, 'portrait.jpg');
  const send = async (mediaIds: string[], text: string): Promise<MessageView> => {
    const res = await http.post(`/api/chats/${chat.id}/messages`).set(...bearer(anna.token)).send({ clientId: randomUUID(), text, mediaIds });
    if (res.status !== 201) throw new Error(`send failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as MessageView;
  };
  const first = await send([png.id, mp4.id], 'holiday');
  expect(first.attachments.map((a) => a.id)).toEqual([png.id, mp4.id]);
  await send([jpeg.id], '');
  return { anna, boris, chat, png, mp4, jpeg };
}

async function signedIn(user: Registered, opts: { width?: number; height?: number; dark?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await stage.browser.newContext({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
    colorScheme: opts.dark ? 'dark' : 'light',
    hasTouch: (opts.width ?? 1280) < 500,
  });
  const page = await context.newPage();
  await signInViaUi(page, stage.site.baseUrl, user.auth.user.username, user.password);
  return { context, page };
}

const galleryIds = (page: Page) => page.$$eval('[data-testid=gallery-item]', (els) => els.map((el) => (el as HTMLElement).dataset.mediaId));
const mediaQuery = (page: Page) => new URL(page.url()).searchParams.get('media');

async function expectShowing(page: Page, id: string): Promise<void> {
  await page.waitForFunction(
    (want) =>
      document.querySelector('[data-testid=media-viewer][open]')?.getAttribute('data-media-id') === want &&
      new URL(location.href).searchParams.get('media') === want,
    id,
  );
}

/** Waits until every real (non-placeholder) image inside `selector` has decoded. */
function imagesLoaded(page: Page, selector: string): Promise<unknown> {
  return page.waitForFunction((sel) => {
    const imgs = [...document.querySelectorAll<HTMLImageElement>(`${sel} img.real`)];
    return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  }, selector);
}

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

describe('chat media in the browser', () => {
  let f: Fixture;

  beforeAll(async () => {
    f = await fixture();
  }, 60_000);

  it('lists the chat media newest first, server-rendered, with keyed URLs', async () => {
    const api = (await stage.site.api.http.get(`/api/chats/${f.chat.id}/media`).set(...bearer(f.boris.token)).expect(200)).body as ListPage<GalleryItem>;
    expect(api.items.map((i) => i.media.id)).toEqual([f.jpeg.id, f.mp4.id, f.png.id]);

    const { context, page } = await signedIn(f.boris);
    try {
      const res = await page.goto(`${stage.site.baseUrl}/chats/${f.chat.id}/media`);
      const html = (await res?.text()) ?? '';
      // The first page comes with the HTML, and the image URLs already carry the media key.
      expect(html.match(/data-testid="gallery-item"/g)).toHaveLength(3);
      expect(html).toMatch(new RegExp(`/api/media/${f.jpeg.id}/thumb\\?k=`));
      await page.waitForLoadState('networkidle');
      expect(await galleryIds(page)).toEqual([f.jpeg.id, f.mp4.id, f.png.id]);
      expect(await page.getAttribute(`[data-testid=gallery-item][data-media-id="${f.mp4.id}"]`, 'data-kind')).toBe('video');
      await imagesLoaded(page, '[data-testid=chat-gallery]');
      await shot(page, 'gallery-desktop-light');

      await page.click('[data-testid=gallery-filter-video]');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=gallery-item]').length === 1);
      expect(await galleryIds(page)).toEqual([f.mp4.id]);
      expect(new URL(page.url()).searchParams.get('kind')).toBe('video');
      await page.click('[data-testid=gallery-filter-image]');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=gallery-item]').length === 2);
      expect(await galleryIds(page)).toEqual([f.jpeg.id, f.png.id]);
    } finally {
      await context.close();
    }
  });

  it('opens the fullscreen viewer, moves with the arrow keys, streams the video with ranges, closes with Esc and Back', async () => {
    const { context, page } = await signedIn(f.boris);
    try {
      await open(page, stage.site.baseUrl, `/chats/${f.chat.id}/media`);
      await page.click(`[data-testid=gallery-item][data-media-id="${f.jpeg.id}"]`);
      await page.waitForSelector('[data-testid=media-viewer][open]');
      await expectShowing(page, f.jpeg.id);
      // Counted from the oldest: the newest of three is the third, and ← counts down.
      expect(await page.textContent('[data-testid=media-viewer-position]')).toBe('3 of 3');
      await imagesLoaded(page, '[data-testid=media-viewer]');
      expect(await page.getAttribute('[data-testid=media-viewer]', 'aria-label')).toBe('Media viewer');
      // Focus is inside the dialog (the close button) and the page behind it is inert.
      expect(await page.evaluate(() => document.activeElement?.closest('[data-testid=media-viewer]') !== null)).toBe(true);
      await shot(page, 'viewer-desktop-image');

      // ← goes to the older file: the video, fetched with a range request (206).
      const ranged = page.waitForResponse((r) => r.url().includes(`/api/media/${f.mp4.id}/original`) && r.status() === 206);
      await page.keyboard.press('ArrowLeft');
      await expectShowing(page, f.mp4.id);
      const videoRes = await ranged;
      expect(videoRes.headers()['content-type']).toBe('video/mp4');
      expect(videoRes.headers()['content-range']).toMatch(/^bytes \d+-\d+\/\d+$/);
      expect(await page.getAttribute('[data-testid=media-viewer-video]', 'src')).toMatch(/\?k=/);
      expect(await page.$eval('[data-testid=media-viewer-video]', (v) => (v as HTMLVideoElement).controls)).toBe(true);
      await shot(page, 'viewer-desktop-video');

      await page.keyboard.press('ArrowLeft');
      await expectShowing(page, f.png.id);
      expect(await page.textContent('[data-testid=media-viewer-position]')).toBe('1 of 3');
      expect(await page.isVisible('[data-testid=media-viewer-older]')).toBe(false);
      await page.keyboard.press('ArrowLeft'); // the oldest: nothing further
      await expectShowing(page, f.png.id);
      await page.keyboard.press('ArrowRight');
      await expectShowing(page, f.mp4.id);
      await page.click('[data-testid=media-viewer-newer]');
      await expectShowing(page, f.jpeg.id);

      // Esc closes and takes ?media= off the URL; the gallery is still there.
      await page.keyboard.press('Escape');
      await page.waitForSelector('[data-testid=media-viewer][open]', { state: 'detached' });
      expect(mediaQuery(page)).toBeNull();
      expect(new URL(page.url()).pathname).toBe(`/chats/${f.chat.id}/media`);

      // The browser's back button closes it too, staying on the gallery.
      await page.click(`[data-testid=gallery-item][data-media-id="${f.png.id}"]`);
      await expectShowing(page, f.png.id);
      await page.goBack();
      await page.waitForSelector('[data-testid=media-viewer][open]', { state: 'detached' });
      expect(mediaQuery(page)).toBeNull();
      expect(new URL(page.url()).pathname).toBe(`/chats/${f.chat.id}/media`);

      // A link with ?media= opens the viewer straight away (reload keeps it open).
      await open(page, stage.site.baseUrl, `/chats/${f.chat.id}/media?media=${f.mp4.id}`);
      await expectShowing(page, f.mp4.id);
      await page.click('[data-testid=media-viewer-close]');
      await page.waitForSelector('[data-testid=media-viewer][open]', { state: 'detached' });
      expect(mediaQuery(page)).toBeNull();
    } finally {
      await context.close();
    }
  });

  it('works on a 360 px phone in dark mode, with swipes', async () => {
    const { context, page } = await signedIn(f.boris, { width: 360, height: 740, dark: true });
    try {
      await open(page, stage.site.baseUrl, `/chats/${f.chat.id}/media`);
      await imagesLoaded(page, '[data-testid=chat-gallery]');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await shot(page, 'gallery-360-dark');

      await page.tap(`[data-testid=gallery-item][data-media-id="${f.mp4.id}"]`);
      await expectShowing(page, f.mp4.id);
      await shot(page, 'viewer-360-video');
      // A swipe to the right (finger moving right) shows the older photo.
      await swipe(page, 80, 300, 300, 300);
      await expectShowing(page, f.png.id);
      await imagesLoaded(page, '[data-testid=media-viewer]');
      await shot(page, 'viewer-360-image');
      await swipe(page, 300, 300, 60, 300);
      await expectShowing(page, f.mp4.id);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    } finally {
      await context.close();
    }
  });

  it('shows the attachments in the message bubble and opens the viewer from it', async () => {
    const { context, page } = await signedIn(f.boris);
    try {
      await open(page, stage.site.baseUrl, `/?chat=${f.chat.id}`);
      await page.waitForSelector(`[data-testid=attachment][data-media-id="${f.png.id}"]`);
      const sizes = await page.$$eval('[data-testid=attachment]', (els) => els.map((el) => el.getBoundingClientRect().height));
      expect(sizes.every((h) => h > 40)).toBe(true);
      await shot(page, 'bubble-desktop');
      await page.click(`[data-testid=attachment][data-media-id="${f.png.id}"]`);
      await expectShowing(page, f.png.id);
      await page.keyboard.press('Escape');
      await page.waitForSelector('[data-testid=media-viewer][open]', { state: 'detached' });
    } finally {
      await context.close();
    }
  });
});

describe('sending photos and videos from the composer', () => {
  it('attaches a PNG and an MP4 with progress, sends them in one message; the other side sees both and the gallery lists them', async () => {
    const http = stage.site.api.http;
    const [anna, boris] = await Promise.all([register(http, { displayName: 'Anna Sender' }), register(http, { displayName: 'Boris Viewer' })]);
    const chat = await openChat(http, anna.token, [boris.auth.user.id]);
    const [png, mp4] = await Promise.all([files.png(640, 480), clips.mp4({ seconds: 1 })]);

    const a = await signedIn(anna);
    const b = await signedIn(boris);
    try {
      await open(b.page, stage.site.baseUrl, `/?chat=${chat.id}`);
      await b.page.waitForSelector('[data-testid=composer-input]');
      await open(a.page, stage.site.baseUrl, `/?chat=${chat.id}`);
      await a.page.waitForSelector('[data-testid=composer-input]');

      // Hold the uploads at the door so the in-progress state can be seen, then let them through.
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      await a.page.route('**/api/media', async (route) => {
        if (route.request().method() === 'POST') await gate;
        await route.continue();
      });

      await a.page.setInputFiles('[data-testid=attach-input]', [
        { name: 'sunset.png', mimeType: 'image/png', buffer: png },
        { name: 'clip.mp4', mimeType: 'video/mp4', buffer: mp4 },
      ]);
      await a.page.waitForFunction(() => document.querySelectorAll('[data-testid=upload-item] [role=progressbar]').length === 2);
      // Nothing typed and the files are still on their way: the send button waits.
      expect(await a.page.isDisabled('[data-testid=composer-send]')).toBe(true);

      release();
      await a.page.waitForFunction(() => {
        const items = [...document.querySelectorAll<HTMLElement>('[data-testid=upload-item]')];
        return items.length === 2 && items.every((i) => i.dataset.status === 'done');
      });
      expect(await a.page.$$eval('[data-testid=upload-item] [role=progressbar]', (els) => els.length)).toBe(0);
      expect(await a.page.inputValue('[data-testid=composer-input]')).toBe('');
      expect(await a.page.isEnabled('[data-testid=composer-send]')).toBe(true);

      // Sent without a network: the tray empties and the pending bubble already shows both files.
      await a.context.setOffline(true);
      await a.page.click('[data-testid=composer-send]');
      await a.page.waitForSelector('[data-testid=upload-tray]', { state: 'detached' });
      await a.page.waitForFunction(() =>
        document.querySelector('[data-testid=message-pending]')?.closest('[data-testid=message]')?.querySelectorAll('[data-testid=attachment]').length === 2);
      // Back online, it goes out and stays one bubble with both files.
      await a.context.setOffline(false);
      await a.page.waitForSelector('[data-testid=message-pending]', { state: 'detached', timeout: 15_000 });
      await a.page.waitForFunction(() => document.querySelectorAll('[data-testid=message] [data-testid=attachment]').length === 2);

      // The other side gets one bubble with the photo and the video, in the order picked.
      await b.page.waitForFunction(() => document.querySelectorAll('[data-testid=message] [data-testid=attachment]').length === 2);
      const bubble = await b.page.$$eval('[data-testid=message]', (els) =>
        els.map((el) => [...el.querySelectorAll<HTMLElement>('[data-testid=attachment]')].map((t) => ({ id: t.dataset.mediaId, kind: t.dataset.kind }))));
      expect(bubble).toHaveLength(1);
      expect(bubble[0]!.map((x) => x.kind)).toEqual(['image', 'video']);
      const ids = bubble[0]!.map((x) => x.id);

      const history = (await http.get(`/api/chats/${chat.id}/messages`).set(...bearer(boris.token)).expect(200)).body as { items: MessageView[] };
      expect(history.items).toHaveLength(1);
      expect(history.items[0]!.text).toBe('');
      expect(history.items[0]!.attachments.map((m) => m.id)).toEqual(ids);

      // The header links to the chat's gallery, which lists both, newest first.
      await Promise.all([b.page.waitForURL(`${stage.site.baseUrl}/chats/${chat.id}/media`), b.page.click('[data-testid=conversation-media]')]);
      await b.page.waitForFunction(() => document.querySelectorAll('[data-testid=gallery-item]').length === 2);
      expect((await galleryIds(b.page)).sort()).toEqual([...ids].sort());
      await imagesLoaded(b.page, '[data-testid=chat-gallery]');
    } finally {
      await a.context.close();
      await b.context.close();
    }
  }, 60_000);
});

/** A one-finger horizontal swipe through pointer events (what touch screens send). */
async function swipe(page: Page, x1: number, y1: number, x2: number, y2: number): Promise<void> {
  await page.evaluate(
    ({ x1, y1, x2, y2 }) => {
      const stage = document.querySelector('[data-testid=media-viewer] .stage');
      if (!stage) throw new Error('no stage');
      const base = { pointerId: 7, pointerType: 'touch', isPrimary: true, bubbles: true, cancelable: true };
      // Start on the upper part of the picture (a video's bottom is its control bar).
      const frame = document.querySelector('[data-testid=media-viewer] .frame')?.getBoundingClientRect();
      if (frame) y1 = y2 = frame.top + frame.height * 0.3;
      const target = document.elementFromPoint(x1, y1) ?? stage;
      target.dispatchEvent(new PointerEvent('pointerdown', { ...base, clientX: x1, clientY: y1 }));
      for (let i = 1; i <= 5; i += 1) {
        target.dispatchEvent(new PointerEvent('pointermove', { ...base, clientX: x1 + ((x2 - x1) * i) / 5, clientY: y1 + ((y2 - y1) * i) / 5 }));
      }
      target.dispatchEvent(new PointerEvent('pointerup', { ...base, clientX: x2, clientY: y2 }));
    },
    { x1, y1, x2, y2 },
  );
}
