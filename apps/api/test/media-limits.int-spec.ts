import type { ApiErrorBody, MediaLimitsView } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { openChat } from './support/chats.js';
import { clips, files, upload, uploaded } from './support/media.js';

let t: TestApp;
let me: Registered;

/** Small limits, so that real (small) files made here cross them. */
beforeAll(async () => {
  t = await createTestApp({
    MEDIA_MAX_PIXELS: '100000',
    MEDIA_MAX_VIDEO_SECONDS: '2',
    MEDIA_MAX_VOICE_SECONDS: '3',
    MEDIA_MAX_FILES_PER_MESSAGE: '2',
    MEDIA_MAX_FILE_BYTES: String(5 * 1024 * 1024),
    MEDIA_WORKERS: '1',
  });
  me = await register(t.http);
});
afterAll(() => t.close());

async function refused(file: Buffer, name: string): Promise<ApiErrorBody['error']> {
  const res = await upload(t.http, me.token, file, name).expect(413);
  return (res.body as ApiErrorBody).error;
}

describe('configured limits', () => {
  it('publishes them for the composer', async () => {
    const res = await t.http.get('/api/media/limits').set(...bearer(me.token)).expect(200);
    expect(res.body as MediaLimitsView).toEqual({
      maxFileBytes: 5 * 1024 * 1024, maxFilesPerMessage: 2, maxPixels: 100000, maxVideoSeconds: 2, maxVoiceSeconds: 3,
      types: ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'video/mp4', 'video/webm', 'audio/ogg'],
    });
  });

  it('refuses an image over MEDIA_MAX_PIXELS, and takes one just under it', async () => {
    expect(await refused(await files.png(400, 300), 'big.png')).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'The image is 0.12 megapixels; at most 0.1 megapixels are accepted' });
    await uploaded(t.http, me.token, await files.png(300, 300), 'ok.png');
  });

  it('refuses a video whose frame is over the pixel limit, before decoding any frame', async () => {
    expect(await refused(await clips.mp4({ size: '640x480', seconds: 1 }), 'wide.mp4')).toEqual({
      code: 'PAYLOAD_TOO_LARGE', message: 'The video frame is 0.31 megapixels; at most 0.1 megapixels are accepted',
    });
    expect(await refused(await clips.webm({ size: '640x480', seconds: 1 }), 'wide.webm')).toMatchObject({ message: /video frame/ });
  });

  it('refuses a video longer than MEDIA_MAX_VIDEO_SECONDS', async () => {
    expect(await refused(await clips.mp4({ seconds: 4 }), 'long.mp4')).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'The video is 4 s long; at most 2 s are accepted' });
    await uploaded(t.http, me.token, await clips.mp4({ seconds: 1 }), 'short.mp4');
  });

  it('refuses an animation over the decoding budget of 4 × MEDIA_MAX_PIXELS over all frames', async () => {
    expect(await refused(await files.gif(12, 200, 200), 'anim.gif')).toEqual({
      code: 'PAYLOAD_TOO_LARGE', message: 'The animation is 0.48 megapixels over all frames; at most 0.4 megapixels',
    });
    await uploaded(t.http, me.token, await files.gif(8, 200, 200), 'anim.gif');
  });

  it('refuses more files per message than MEDIA_MAX_FILES_PER_MESSAGE (413), and sends up to it', async () => {
    const other = await register(t.http);
    const chat = await openChat(t.http, me.token, [other.auth.user.id]);
    const ids = [];
    for (let i = 0; i < 3; i += 1) ids.push((await uploaded(t.http, me.token, await files.png(20 + i, 20))).id);
    const res = await t.http.post(`/api/chats/${chat.id}/messages`).set(...bearer(me.token)).send({ clientId: 'three', text: '', mediaIds: ids }).expect(413);
    expect(res.body).toEqual({ error: {
      code: 'PAYLOAD_TOO_LARGE', message: 'At most 2 files can be sent in one message',
      details: [{ field: 'mediaIds', code: 'too_many', message: 'At most 2 files per message' }],
    } });
    await t.http.post(`/api/chats/${chat.id}/messages`).set(...bearer(me.token)).send({ clientId: 'two', text: '', mediaIds: ids.slice(0, 2) }).expect(201);
  });
});
