import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { ChatView, GalleryItem, MediaView, MessageView, Page as ListPage } from '@app/contracts';
import { bearer, register, type Registered } from '../apps/api/test/support/factories.js';
import { openChat } from '../apps/api/test/support/chats.js';
import { clips, files, uploaded } from '../apps/api/test/support/media.js';
import { useSiteAndBrowser } from './support/servers.js';
import { open } from './support/web.js';
import { galleryIds as idsIn, imagesLoaded, signedIn as signedInOn } from './support/media-page.js';

const stage = useSiteAndBrowser();
const signedIn = (user: Registered, opts?: Parameters<typeof signedInOn>[2]) => signedInOn(stage, user, opts);
const galleryIds = idsIn;

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

const mediaQuery = (page: Page) => new URL(page.url()).searchParams.get('media');

async function expectShowing(page: Page, id: string): Promise<void> {
  await page.waitForFunction(
    (want) =>
      document.querySelector('[data-testid=media-viewer][open]')?.getAttribute('data-media-id') === want &&
      new URL(location.href).searchParams.get('media') === want,
    id,
  );
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
