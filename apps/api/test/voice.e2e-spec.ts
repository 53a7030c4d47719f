import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ChatEventsView, ChatView, GalleryItem, MediaView, MessageView, Page } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, registerMany, type Registered } from './support/factories.js';
import { openChat, sendMessage } from './support/chats.js';
import { binary, clips, files, sounds, uploadVoice } from './support/media.js';
import { closeAllSockets, connected, emitAck, record, sleep, waitForEvent } from './support/sockets.js';
import { idOf, NOT_FOUND_TEXT } from './support/social.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ MEDIA_MAX_VOICE_SECONDS: '4' });
  await t.listen();
});
afterEach(() => closeAllSockets());
afterAll(() => t.close());

const voice = async (u: Registered, body: Buffer, name = 'voice.ogg'): Promise<MediaView> => (await uploadVoice(t.http, u.token, body, name).expect(201)).body as MediaView;
const sendVoice = async (u: Registered, chatId: string, media: MediaView): Promise<MessageView> =>
  (await t.http.post(`/api/chats/${chatId}/messages`).set(...bearer(u.token)).send({ clientId: randomUUID(), text: '', mediaIds: [media.id] }).expect(201)).body as MessageView;
const listened = (u: Registered, chatId: string, messageId: string) => t.http.post(`/api/chats/${chatId}/messages/${messageId}/listened`).set(...bearer(u.token));
const lastSeq = async (u: Registered, chatId: string): Promise<number> => ((await t.http.get(`/api/chats/${chatId}`).set(...bearer(u.token)).expect(200)).body as ChatView).lastSeq;

describe('voice messages: upload', () => {
  it('stores Opus in Ogg, Opus in WebM and AAC in MP4 as Opus in Ogg, with duration and a waveform from the sound', async () => {
    const me = await register(t.http);
    for (const [name, body] of [['voice.ogg', await sounds.ogg()], ['voice.webm', await sounds.webm()], ['voice.m4a', await sounds.m4a()]] as const) {
      const v = await voice(me, body, name);
      expect(v).toMatchObject({ kind: 'voice', mime: 'audio/ogg', width: 0, height: 0, placeholder: '' });
      expect(v.urls).toEqual({ original: `/api/media/${v.id}/original`, thumb: null, poster: null, sizes: [] });
      expect(Math.abs(v.durationMs! - 2000)).toBeLessThan(150);
      // The first half is silence, the second a tone: the bars say so.
      expect(v.waveform).toHaveLength(64);
      expect(Math.max(...v.waveform!.slice(0, 28))).toBeLessThanOrEqual(1);
      expect(Math.min(...v.waveform!.slice(36))).toBeGreaterThanOrEqual(20);
      const file = await t.http.get(v.urls.original).set(...bearer(me.token)).buffer(true).parse(binary).expect(200);
      const bytes = file.body as Buffer;
      expect(file.headers['content-type']).toBe('audio/ogg');
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('OggS');
      expect(bytes.includes(Buffer.from('OpusHead'))).toBe(true);
      // Metadata is not kept (the Ogg recording carried a title).
      expect(bytes.includes(Buffer.from('Secret title'))).toBe(false);
    }
  });

  it('refuses a video, a picture, text and a recording over the length limit, storing nothing', async () => {
    const me = await register(t.http);
    const refuse = async (body: Buffer, status: number, code: string) => {
      const res = await uploadVoice(t.http, me.token, body).expect(status);
      expect(res.body.error.code).toBe(code);
      return res.body.error.message as string;
    };
    expect(await refuse(await clips.mp4({ seconds: 1 }), 415, 'UNSUPPORTED_MEDIA_TYPE')).toBe('A voice message has sound only: send a video as a video');
    await refuse(await files.png(40, 40), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await refuse(Buffer.from('just some words, not a recording at all'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    // Opus pads the end a little: a 6 s tone lasts a few milliseconds more.
    expect(await refuse(await sounds.ogg(6), 413, 'PAYLOAD_TOO_LARGE')).toMatch(/^The voice message is [67] s long; at most 4 s are accepted$/);
    expect(await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM media WHERE owner_id = $1', [idOf(me)])).toEqual([{ n: 0 }]);
  });
});

describe('voice messages: listened marks', () => {
  it('the first play of each member other than the sender is kept and heard live; the rest change nothing', async () => {
    const [ann, bob, dan, eve] = await registerMany(t.http, 4);
    const chat = await openChat(t.http, ann.token, [idOf(bob), idOf(dan)], 'Voices');
    const sent = await sendVoice(ann, chat.id, await voice(ann, await sounds.ogg(1)));
    expect(sent).toMatchObject({ text: '', listenedBy: [], attachments: [{ kind: 'voice' }] });
    const annSocket = await connected(t.url, ann.token);
    const heard = waitForEvent(annSocket, 'message:listened', (e) => e.chatId === chat.id);
    const before = await lastSeq(ann, chat.id);

    expect(((await listened(bob, chat.id, sent.id).expect(200)).body as MessageView).listenedBy).toEqual([idOf(bob)]);
    expect((await heard).data).toEqual({ messageId: sent.id, userId: idOf(bob) });

    // Over the socket: the same service, one ack.
    const danSocket = await connected(t.url, dan.token);
    const ack = await emitAck<'message:listen', MessageView>(danSocket, 'message:listen', { chatId: chat.id, messageId: sent.id });
    expect(ack).toMatchObject({ ok: true, data: { id: sent.id, listenedBy: [idOf(bob), idOf(dan)] } });

    // Playing again, or the sender playing their own, takes no seq and tells nobody.
    const quiet = record(annSocket, 'message:listened');
    const seq = await lastSeq(ann, chat.id);
    expect(seq).toBe(before + 2);
    await listened(bob, chat.id, sent.id).expect(200);
    expect(((await listened(ann, chat.id, sent.id).expect(200)).body as MessageView).listenedBy).toEqual([idOf(bob), idOf(dan)]);
    await sleep(200);
    expect(quiet).toEqual([]);
    expect(await lastSeq(ann, chat.id)).toBe(seq);

    // A catch-up replays the marks in order, and a fresh history shows them.
    const events = (await t.http.get(`/api/chats/${chat.id}/events`).query({ after: before }).set(...bearer(ann.token)).expect(200)).body as ChatEventsView;
    expect(events.events.map((e) => [e.type, e.data])).toEqual([
      ['message:listened', { messageId: sent.id, userId: idOf(bob) }],
      ['message:listened', { messageId: sent.id, userId: idOf(dan) }],
    ]);
    const history = (await t.http.get(`/api/chats/${chat.id}/messages`).set(...bearer(ann.token)).expect(200)).body as { items: MessageView[] };
    expect(history.items.find((m) => m.id === sent.id)?.listenedBy).toEqual([idOf(bob), idOf(dan)]);

    // Someone outside the chat gets what a missing message gets.
    expect((await listened(eve, chat.id, sent.id).expect(404)).text).toBe(NOT_FOUND_TEXT);
    const eveSocket = await connected(t.url, eve.token);
    expect(await emitAck(eveSocket, 'message:listen', { chatId: chat.id, messageId: sent.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses a message without a voice message, and a deleted one; deleting takes the marks with it', async () => {
    const [ann, bob] = await registerMany(t.http, 2);
    const chat = await openChat(t.http, ann.token, [idOf(bob)]);
    const text = await sendMessage(t.http, ann.token, chat.id, 'just words');
    expect((await listened(bob, chat.id, text.id).expect(409)).body.error).toMatchObject({ code: 'CONFLICT', message: 'This message has no voice message' });
    const sent = await sendVoice(ann, chat.id, await voice(ann, await sounds.ogg(1)));
    await listened(bob, chat.id, sent.id).expect(200);
    const deleted = (await t.http.delete(`/api/chats/${chat.id}/messages/${sent.id}`).set(...bearer(ann.token)).expect(200)).body as MessageView;
    expect(deleted.listenedBy).toEqual([]);
    expect((await listened(bob, chat.id, sent.id).expect(409)).body.error.code).toBe('CONFLICT');
  });

  it('the gallery lists voice messages under kind=voice only', async () => {
    const [ann, bob] = await registerMany(t.http, 2);
    const chat = await openChat(t.http, ann.token, [idOf(bob)]);
    const v = await voice(ann, await sounds.webm(1), 'note.webm');
    await sendVoice(ann, chat.id, v);
    const gallery = async (kind?: string) =>
      ((await t.http.get(`/api/chats/${chat.id}/media`).query(kind ? { kind } : {}).set(...bearer(bob.token)).expect(200)).body as Page<GalleryItem>).items;
    expect((await gallery('voice')).map((i) => i.media)).toEqual([v]);
    expect(await gallery()).toEqual([]);
  });
});
