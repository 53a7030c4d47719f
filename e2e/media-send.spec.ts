import type { MessageView } from '@app/contracts';
import { bearer, register, type Registered } from '../apps/api/test/support/factories.js';
import { openChat } from '../apps/api/test/support/chats.js';
import { clips, files } from '../apps/api/test/support/media.js';
import { useSiteAndBrowser } from './support/servers.js';
import { open } from './support/web.js';
import { galleryIds, imagesLoaded, signedIn as signedInOn } from './support/media-page.js';

const stage = useSiteAndBrowser();
const signedIn = (user: Registered) => signedInOn(stage, user);

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
