import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import sharp from 'sharp';
import type { MeView, MessageView } from '@app/contracts';
import { MediaService } from '../src/media/media.service.js';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { openChat } from './support/chats.js';
import { binary, clips, files, mediaKey, uploaded } from './support/media.js';
import { startLocalS3, type LocalS3 } from './support/s3.js';

let s3: LocalS3;
let t: TestApp;
let me: Registered;

beforeAll(async () => {
  s3 = await startLocalS3();
  t = await createTestApp(s3.env);
  me = await register(t.http);
});
afterAll(async () => {
  await t.close();
  await s3.close();
});

const fetchAs = (url: string, token: string, headers: Record<string, string> = {}) =>
  t.http.get(url).set(...bearer(token)).set(headers).buffer(true).parse(binary);

describe('media on an S3-compatible bucket', () => {
  it('stores every rendition in the bucket (nothing on local disk) and serves them with ranges', async () => {
    expect(t.config.media.s3?.bucket).toBe('media');
    const photo = await uploaded(t.http, me.token, await files.jpegWithGps(), 'p.jpg');
    const video = await uploaded(t.http, me.token, await clips.mp4({ seconds: 1 }), 'v.mp4');
    const keys = await s3.keys();
    expect(keys).toEqual(expect.arrayContaining([
      `media/${photo.id}/original.jpg`, `media/${photo.id}/thumb.webp`, `media/${photo.id}/w640.webp`, `media/${photo.id}/w1280.webp`,
      `media/${video.id}/original.mp4`, `media/${video.id}/poster.webp`, `media/${video.id}/thumb.webp`,
    ]));
    expect(await readdir(t.config.media.dir).catch(() => [])).toEqual([]);
    const original = await fetchAs(photo.urls.original, me.token).expect(200);
    const meta = await sharp(original.body as Buffer).metadata();
    expect([meta.width, meta.height, meta.exif]).toEqual([900, 1600, undefined]);
    const whole = (await fetchAs(video.urls.original, me.token).expect(200)).body as Buffer;
    expect(whole.length).toBe(video.size);
    const part = await fetchAs(video.urls.original, me.token, { Range: 'bytes=32-1055' }).expect(206);
    expect(part.headers['content-range']).toBe(`bytes 32-1055/${video.size}`);
    expect((part.body as Buffer).equals(whole.subarray(32, 1056))).toBe(true);
    const key = await mediaKey(t.http, me.token);
    await t.http.get(`${video.urls.poster!}?k=${key}`).expect(200);
  });

  it('applies the same access rules: members only, by key too', async () => {
    const [other, stranger] = await Promise.all([register(t.http), register(t.http)]);
    const chat = await openChat(t.http, me.token, [other.auth.user.id]);
    const photo = await uploaded(t.http, me.token, await files.png(300, 200));
    const sent = (await t.http.post(`/api/chats/${chat.id}/messages`).set(...bearer(me.token))
      .send({ clientId: randomUUID(), text: '', mediaIds: [photo.id] }).expect(201)).body as MessageView;
    await t.http.get(`${sent.attachments[0].urls.thumb}?k=${await mediaKey(t.http, other.token)}`).expect(200);
    await t.http.get(`${sent.attachments[0].urls.thumb}?k=${await mediaKey(t.http, stranger.token)}`).expect(404);
  });

  it('keeps avatars in the bucket too, and removes the replaced one', async () => {
    const first = (await t.http.put('/api/users/me/avatar').set(...bearer(me.token)).attach('file', await files.png(200, 200), 'a.png').expect(200)).body as MeView;
    const name = first.avatar!.small.split('/').pop()!;
    expect(await s3.keys()).toContain(`avatars/${name}`);
    const small = await t.http.get(first.avatar!.small).expect(200);
    expect((await sharp(small.body as Buffer).metadata()).width).toBe(96);
    await t.http.put('/api/users/me/avatar').set(...bearer(me.token)).attach('file', await files.png(210, 210), 'b.png').expect(200);
    expect(await s3.keys()).not.toContain(`avatars/${name}`);
    await t.http.get(first.avatar!.small).expect(404);
  });

  it('sweeps uploads that were never sent, objects and rows, and leaves sent ones', async () => {
    const other = await register(t.http);
    const chat = await openChat(t.http, me.token, [other.auth.user.id]);
    const kept = await uploaded(t.http, me.token, await files.png(30, 30));
    const abandoned = await uploaded(t.http, me.token, await files.png(31, 31));
    await t.http.post(`/api/chats/${chat.id}/messages`).set(...bearer(me.token)).send({ clientId: randomUUID(), text: '', mediaIds: [kept.id] }).expect(201);
    expect(await t.app.get(MediaService).sweep(0)).toBeGreaterThanOrEqual(1);
    const keys = await s3.keys();
    expect(keys.some((k) => k.startsWith(`media/${abandoned.id}/`))).toBe(false);
    expect(keys).toContain(`media/${kept.id}/original.png`);
    await fetchAs(abandoned.urls.original, me.token).expect(404);
    await fetchAs(kept.urls.original, me.token).expect(200);
  });
});
