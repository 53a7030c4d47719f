import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GalleryItem, MessageView, Page as ListPage } from '@app/contracts';
import { openChat } from '../apps/api/test/support/chats.js';
import { bearer } from '../apps/api/test/support/factories.js';
import { openChatPage, person, type Person } from './support/people.js';
import { useSiteAndBrowser } from './support/servers.js';

const stage = useSiteAndBrowser();
const people: Person[] = [];
afterEach(async () => {
  await Promise.all(people.splice(0).map((p) => p.context.close()));
}, 60_000);

/** Set LOOK_SCREENSHOTS=<dir> to keep the recorder and the player. */
const SHOTS = process.env.LOOK_SCREENSHOTS;
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

const voiceMessages = (p: Person['page']) => p.locator('[data-testid=message] [data-testid=voice-message]');

describe('voice messages in the web app', () => {
  it('records with the microphone (tap to start, tap to send); the other side plays it at 2×, the dots go, the gallery lists it', async () => {
    const [ann, bob] = [await person(stage.site, stage.browser, 'Ann Speaker'), await person(stage.site, stage.browser, 'Bob Listener', { width: 360, locale: 'ru' })];
    people.push(ann, bob);
    const http = stage.site.api.http;
    const chat = await openChat(http, ann.token, [bob.id]);
    await openChatPage(stage.site, ann.page, chat.id);
    await openChatPage(stage.site, bob.page, chat.id);
    const a = ann.page;

    // Nothing typed: the microphone stands where the send button was; typing brings the send button back.
    await a.fill('[data-testid=composer-input]', 'x');
    expect(await a.locator('[data-testid=voice-record]').count()).toBe(0);
    await a.fill('[data-testid=composer-input]', '');
    await a.click('[data-testid=voice-record]');
    await a.locator('[data-testid=voice-recording]').waitFor();
    await a.waitForFunction(() => (document.querySelector('[data-testid=voice-elapsed]')?.textContent ?? '') >= '0:02');
    if (SHOTS) await a.screenshot({ path: join(SHOTS, 'voice-recording-1280-light-en.png') });
    await a.click('[data-testid=voice-record]');
    await a.locator('[data-testid=voice-recording]').waitFor({ state: 'detached' });

    // Stored as a voice message with a waveform; Bob gets it live, unlistened on both sides.
    await voiceMessages(bob.page).waitFor();
    const b = bob.page;
    const messages = (await http.get(`/api/chats/${chat.id}/messages`).set(...bearer(ann.token)).expect(200)).body as { items: MessageView[] };
    const sent = messages.items.at(-1)!;
    const media = sent.attachments[0]!;
    expect(media).toMatchObject({ kind: 'voice', mime: 'audio/ogg' });
    expect(media.durationMs).toBeGreaterThan(1500);
    expect(media.waveform!.some((level) => level > 0)).toBe(true);
    await voiceMessages(a).locator('[data-testid=voice-unlistened]').waitFor();
    await voiceMessages(b).locator('[data-testid=voice-unlistened]').waitFor();
    expect(await b.locator('[data-testid=voice-wave] .bar').count()).toBe(64);

    // Bob switches to 2× and plays it: it plays, and Ann sees it listened, live.
    await b.click('[data-testid=voice-speed]');
    await b.click('[data-testid=voice-speed]');
    expect(await b.textContent('[data-testid=voice-speed]')).toBe('2×');
    await b.click('[data-testid=voice-play]');
    await b.waitForFunction(() => {
      const audio = document.querySelector<HTMLAudioElement>('[data-testid=voice-message] audio');
      return audio !== null && audio.currentTime > 0 && audio.playbackRate === 2;
    });
    await voiceMessages(b).locator('[data-testid=voice-unlistened]').waitFor({ state: 'detached' });
    await voiceMessages(a).locator('[data-testid=voice-unlistened]').waitFor({ state: 'detached' });
    if (SHOTS) await b.screenshot({ path: join(SHOTS, 'voice-player-360-light-ru.png') });

    // The waveform seeks: a click at three quarters moves the position there.
    await b.click('[data-testid=voice-play]');
    const wave = b.locator('[data-testid=voice-wave]');
    const box = (await wave.boundingBox())!;
    await b.mouse.click(box.x + box.width * 0.75, box.y + box.height / 2);
    const at = await b.$eval('[data-testid=voice-message] audio', (el) => (el as HTMLAudioElement).currentTime);
    expect(at / (media.durationMs! / 1000)).toBeCloseTo(0.75, 1);

    // The chat's gallery lists it under "Voice".
    const gallery = (await http.get(`/api/chats/${chat.id}/media`).query({ kind: 'voice' }).set(...bearer(bob.token)).expect(200)).body as ListPage<GalleryItem>;
    expect(gallery.items.map((i) => i.media.id)).toEqual([media.id]);
    await b.goto(`${stage.site.baseUrl}/chats/${chat.id}/media?kind=voice`);
    await b.locator('[data-testid=gallery-voice] [data-testid=voice-message]').waitFor();
  }, 90_000);

  it('hold to record and slide left to cancel: nothing is sent', async () => {
    const [ann, bob] = [await person(stage.site, stage.browser, 'Ann Holder'), await person(stage.site, stage.browser, 'Bob Waiting')];
    people.push(ann, bob);
    const chat = await openChat(stage.site.api.http, ann.token, [bob.id]);
    await openChatPage(stage.site, ann.page, chat.id);
    const a = ann.page;
    const mic = (await a.locator('[data-testid=voice-record]').boundingBox())!;
    await a.mouse.move(mic.x + mic.width / 2, mic.y + mic.height / 2);
    await a.mouse.down();
    await a.locator('[data-testid=voice-recording]').waitFor();
    await a.waitForTimeout(600);
    await a.mouse.move(mic.x - 150, mic.y + mic.height / 2, { steps: 6 });
    await a.locator('[data-testid=voice-recording]').waitFor({ state: 'detached' });
    await a.mouse.up();
    await a.waitForTimeout(800);
    expect(await a.locator('[data-testid=upload-item]').count()).toBe(0);
    expect(await voiceMessages(a).count()).toBe(0);
    const history = (await stage.site.api.http.get(`/api/chats/${chat.id}/messages`).set(...bearer(ann.token)).expect(200)).body as { items: MessageView[] };
    expect(history.items).toEqual([]);
  }, 60_000);
});
