import { randomUUID } from 'node:crypto';
import type { ApiErrorBody, ChatEventsView, ChatView, GalleryItem, MediaView, MessageView, Page } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { openChat } from './support/chats.js';
import { clips, files, uploaded } from './support/media.js';
import { closeAllSockets, connected, emitAck, waitForEvent } from './support/sockets.js';
import { NOT_FOUND_TEXT } from './support/social.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.listen();
});
afterEach(() => closeAllSockets());
afterAll(() => t.close());

const idOf = (u: Registered): string => u.auth.user.id;

function ok<T>(ack: { ok: true; data: T } | { ok: false; error: unknown }): T {
  if (!ack.ok) throw new Error(`ack failed: ${JSON.stringify(ack.error)}`);
  return ack.data;
}

async function sendRest(u: Registered, chat: ChatView, mediaIds: string[], text = ''): Promise<MessageView> {
  return (await t.http.post(`/api/chats/${chat.id}/messages`).set(...bearer(u.token)).send({ clientId: randomUUID(), text, mediaIds }).expect(201)).body as MessageView;
}

async function gallery(u: Registered, chat: ChatView, query: Record<string, string | number> = {}): Promise<Page<GalleryItem>> {
  return (await t.http.get(`/api/chats/${chat.id}/media`).query(query).set(...bearer(u.token)).expect(200)).body as Page<GalleryItem>;
}

describe('sending media over the socket', () => {
  it('acks with the attachments, delivers them to the other member, replays them from the log, and a retry returns the same', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const chat = await openChat(t.http, a.token, [idOf(b)]);
    const [sa, sb] = await Promise.all([connected(t.url, a.token), connected(t.url, b.token)]);
    const photo = await uploaded(t.http, a.token, await files.png(700, 500), 'p.png');
    const video = await uploaded(t.http, a.token, await clips.mp4({ seconds: 1 }), 'v.mp4');
    const seen = waitForEvent(sb, 'message:created', (e) => e.chatId === chat.id);
    const request = { chatId: chat.id, clientId: 'media-1', text: 'look', mediaIds: [photo.id, video.id] };
    const sent = ok(await emitAck<'message:send', MessageView>(sa, 'message:send', request));
    expect(sent.attachments).toEqual([photo, video]);
    expect((await seen).data).toEqual(sent);
    const retry = ok(await emitAck<'message:send', MessageView>(sa, 'message:send', request));
    expect(retry).toEqual(sent);
    const log = (await t.http.get(`/api/chats/${chat.id}/events`).query({ after: 0 }).set(...bearer(b.token)).expect(200)).body as ChatEventsView;
    const created = log.events.find((e) => e.type === 'message:created');
    expect(created?.data).toEqual(sent);
    const image = await t.http.get(sent.attachments[0].urls.thumb!).set(...bearer(b.token)).expect(200);
    expect(image.headers['content-type']).toBe('image/webp');
  });

  it('lets exactly one of two concurrent sends take the same upload', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const chat = await openChat(t.http, a.token, [idOf(b)]);
    const sa = await connected(t.url, a.token);
    const photo = await uploaded(t.http, a.token, await files.png(64, 64));
    const acks = await Promise.all(['race-1', 'race-2'].map((clientId) =>
      emitAck<'message:send', MessageView>(sa, 'message:send', { chatId: chat.id, clientId, text: '', mediaIds: [photo.id] })));
    expect(acks.filter((x) => x.ok)).toHaveLength(1);
    const failed = acks.find((x) => !x.ok);
    expect(failed && !failed.ok && failed.error.code).toBe('VALIDATION_FAILED');
  });

  it('answers a send with more files than allowed with one failed ack', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const chat = await openChat(t.http, a.token, [idOf(b)]);
    const sa = await connected(t.url, a.token);
    const ids = Array.from({ length: t.config.media.maxFilesPerMessage + 1 }, () => randomUUID());
    const ack = await emitAck<'message:send', MessageView>(sa, 'message:send', { chatId: chat.id, clientId: 'too-many', text: 'x', mediaIds: ids });
    expect(ack).toEqual({ ok: false, error: {
      code: 'PAYLOAD_TOO_LARGE', message: `At most ${t.config.media.maxFilesPerMessage} files can be sent in one message`,
      details: [{ field: 'mediaIds', code: 'too_many', message: `At most ${t.config.media.maxFilesPerMessage} files per message` }],
    } });
    const rest = await t.http.post(`/api/chats/${chat.id}/messages`).set(...bearer(a.token)).send({ clientId: 'too-many-2', text: 'x', mediaIds: ids }).expect(413);
    expect((rest.body as ApiErrorBody).error.details?.[0].code).toBe('too_many');
  });
});

describe('the chat gallery', () => {
  it('pages every media of the chat newest first, filters by kind, and skips deleted messages', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const chat = await openChat(t.http, a.token, [idOf(b)]);
    const up = async (u: Registered, make: () => Promise<Buffer>): Promise<MediaView> => uploaded(t.http, u.token, await make());
    const p1 = await up(a, () => files.png(40, 40));
    const p2 = await up(a, () => files.png(41, 41));
    const m1 = await sendRest(a, chat, [p1.id, p2.id], 'first');
    await sendRest(b, chat, [], 'no media');
    const v1 = await up(b, () => clips.webm({ seconds: 1 }));
    const m2 = await sendRest(b, chat, [v1.id]);
    const p3 = await up(a, () => files.webp());
    const p4 = await up(a, () => files.gif(2));
    const m3 = await sendRest(a, chat, [p3.id, p4.id]);
    const gone = await up(a, () => files.png(42, 42));
    const m4 = await sendRest(a, chat, [gone.id]);
    await t.http.delete(`/api/chats/${chat.id}/messages/${m4.id}`).set(...bearer(a.token)).expect(200);

    const expected = [[p4, m3, a], [p3, m3, a], [v1, m2, b], [p2, m1, a], [p1, m1, a]] as const;
    const seen: GalleryItem[] = [];
    let cursor: string | null = null;
    const pages: number[] = [];
    do {
      const page: Page<GalleryItem> = await gallery(b, chat, cursor ? { limit: 2, cursor } : { limit: 2 });
      pages.push(page.items.length);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual([2, 2, 1]);
    expect(seen).toEqual(expected.map(([media, message, sender]) => ({
      media, messageId: message.id, seq: message.seq, senderId: idOf(sender), createdAt: message.createdAt,
    })));
    const videos = await gallery(a, chat, { kind: 'video' });
    expect(videos.items.map((i) => i.media.id)).toEqual([v1.id]);
    const images = await gallery(a, chat, { kind: 'image', limit: 10 });
    expect(images.items.map((i) => i.media.id)).toEqual([p4.id, p3.id, p2.id, p1.id]);
  });

  it('is 404 for a non-member (as for a missing chat) and 400 for a bad cursor or kind', async () => {
    const [a, b, stranger] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
    const chat = await openChat(t.http, a.token, [idOf(b)]);
    const hidden = await t.http.get(`/api/chats/${chat.id}/media`).set(...bearer(stranger.token)).expect(404);
    const missing = await t.http.get(`/api/chats/${randomUUID()}/media`).set(...bearer(stranger.token)).expect(404);
    expect([hidden.text, missing.text]).toEqual([NOT_FOUND_TEXT, NOT_FOUND_TEXT]);
    for (const query of [{ cursor: 'bm90LWpzb24' }, { kind: 'audio' }, { limit: 0 }]) {
      await t.http.get(`/api/chats/${chat.id}/media`).query(query).set(...bearer(a.token)).expect(400);
    }
  });
});
