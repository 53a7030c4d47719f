import sharp, { type Metadata } from 'sharp';
import { DataSource } from 'typeorm';
import type { ApiErrorBody, ChatWallpaperView, MeView } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { openChat } from './support/chats.js';
import { files, hostile } from './support/media.js';
import { NOT_FOUND_TEXT } from './support/social.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const putImage = (u: Registered, path: string, file: Buffer, name = 'x.png') =>
  t.http.put(path).set(...bearer(u.token)).attach('file', file, { filename: name, contentType: 'image/png' });

async function served(url: string): Promise<Metadata> {
  const res = await t.http.get(url).expect(200);
  expect(res.headers['content-type']).toBe('image/webp');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  return sharp(res.body as Buffer).metadata();
}

describe('avatars and covers on the media pipeline', () => {
  it('strips EXIF GPS and applies the camera orientation before cropping', async () => {
    const u = await register(t.http);
    const me = (await putImage(u, '/api/users/me/avatar', await files.jpegWithGps(), 'me.jpg').expect(200)).body as MeView;
    const large = await served(me.avatar!.large);
    expect([large.width, large.height, large.exif, large.orientation]).toEqual([512, 512, undefined, undefined]);
    const cover = (await putImage(u, '/api/users/me/cover', await files.gif(3, 300, 100), 'c.gif').expect(200)).body as MeView;
    const small = await served(cover.cover!.small);
    expect([small.width, small.height, small.pages ?? 1]).toEqual([600, 200, 1]);
  });

  it.each([
    ['a decompression bomb', () => hostile.pngBomb(), 413, 'PAYLOAD_TOO_LARGE'],
    ['a JPEG/HTML polyglot', () => hostile.jpegHtml(), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a video', async () => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(64)]), 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ])('refuses %s as an avatar and keeps the old one', async (_name, make, status, code) => {
    const u = await register(t.http);
    const before = (await putImage(u, '/api/users/me/avatar', await files.png(64, 64)).expect(200)).body as MeView;
    const res = await putImage(u, '/api/users/me/avatar', await make()).expect(status);
    expect((res.body as ApiErrorBody).error.code).toBe(code);
    const now = (await t.http.get('/api/users/me').set(...bearer(u.token)).expect(200)).body as MeView;
    expect(now.avatar).toEqual(before.avatar);
    await served(before.avatar!.small);
  });

  it('removes the replaced avatar\'s files', async () => {
    const u = await register(t.http);
    const first = (await putImage(u, '/api/users/me/avatar', await files.png(80, 80)).expect(200)).body as MeView;
    await putImage(u, '/api/users/me/avatar', await files.png(90, 90)).expect(200);
    const old = await t.http.get(first.avatar!.small).expect(404);
    expect(old.text).toBe(NOT_FOUND_TEXT);
  });
});

describe('chat wallpapers', () => {
  it('a member sets, reads and clears their own wallpaper, cropped for phone and desktop', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const chat = await openChat(t.http, a.token, [b.auth.user.id]);
    const empty = await t.http.get(`/api/chats/${chat.id}/wallpaper`).set(...bearer(a.token)).expect(200);
    expect(empty.body).toEqual({ wallpaper: null });
    const set = (await putImage(a, `/api/chats/${chat.id}/wallpaper`, await files.png(1200, 800)).expect(200)).body as ChatWallpaperView;
    const small = await served(set.wallpaper!.small);
    const large = await served(set.wallpaper!.large);
    expect([small.width, small.height, large.width, large.height]).toEqual([1080, 1920, 2560, 1440]);
    expect((await t.http.get(`/api/chats/${chat.id}/wallpaper`).set(...bearer(a.token)).expect(200)).body).toEqual(set);
    expect((await t.http.get(`/api/chats/${chat.id}/wallpaper`).set(...bearer(b.token)).expect(200)).body).toEqual({ wallpaper: null });
    const replaced = (await putImage(a, `/api/chats/${chat.id}/wallpaper`, await files.png(600, 600)).expect(200)).body as ChatWallpaperView;
    expect(replaced.wallpaper!.small).not.toBe(set.wallpaper!.small);
    await t.http.get(set.wallpaper!.small).expect(404);
    await t.http.delete(`/api/chats/${chat.id}/wallpaper`).set(...bearer(a.token)).expect(200, { wallpaper: null });
    await t.http.get(replaced.wallpaper!.large).expect(404);
  });

  it('is 404 outside the chat, refuses an SVG, and goes away when the member leaves', async () => {
    const [a, b, c, stranger] = await Promise.all([register(t.http), register(t.http), register(t.http), register(t.http)]);
    const chat = await openChat(t.http, a.token, [b.auth.user.id, c.auth.user.id], 'Walls');
    const hidden = await putImage(stranger, `/api/chats/${chat.id}/wallpaper`, await files.png(100, 100)).expect(404);
    expect(hidden.text).toBe(NOT_FOUND_TEXT);
    await t.http.get(`/api/chats/${chat.id}/wallpaper`).set(...bearer(stranger.token)).expect(404);
    await putImage(b, `/api/chats/${chat.id}/wallpaper`, hostile.svg, 'w.png').expect(415);
    await putImage(b, `/api/chats/${chat.id}/wallpaper`, await files.png(100, 100)).expect(200);
    await t.http.post(`/api/chats/${chat.id}/leave`).set(...bearer(b.token)).expect(204);
    const rows = (await t.app.get(DataSource).query('SELECT 1 FROM chat_wallpapers WHERE chat_id = $1', [chat.id])) as unknown[];
    expect(rows).toHaveLength(0);
    await t.http.get(`/api/chats/${chat.id}/wallpaper`).set(...bearer(b.token)).expect(404);
  });
});
