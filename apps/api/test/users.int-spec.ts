import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import type { ApiErrorBody, MeView, UserView } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, uniqueName } from './support/factories.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ UPLOAD_IMAGE_MAX_BYTES: String(256 * 1024) });
});
afterAll(() => t.close());

const png = (width: number, height: number): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } }).png().toBuffer();

describe('profile', () => {
  it('edits display name, username and bio', async () => {
    const u = await register(t.http);
    const username = uniqueName('new');
    const res = await t.http.patch('/api/users/me').set(...bearer(u.token))
      .send({ displayName: '  Grace Hopper ', username, bio: 'Compilers.' }).expect(200);
    expect(res.body).toMatchObject({ displayName: 'Grace Hopper', username, bio: 'Compilers.' });
    const me = await t.http.get('/api/users/me').set(...bearer(u.token)).expect(200);
    expect((me.body as MeView).username).toBe(username);
  });

  it('refuses a taken username (any case) and changes nothing', async () => {
    const a = await register(t.http);
    const b = await register(t.http);
    const res = await t.http.patch('/api/users/me').set(...bearer(b.token))
      .send({ username: a.request.username.toUpperCase(), bio: 'should not stick' }).expect(409);
    expect((res.body as ApiErrorBody).error.details?.[0]).toMatchObject({ field: 'username', code: 'taken' });
    const me = (await t.http.get('/api/users/me').set(...bearer(b.token))).body as MeView;
    expect(me.username).toBe(b.request.username);
    expect(me.bio).toBe('');
  });

  it.each([
    ['empty display name', { displayName: '   ' }, 'displayName'],
    ['invisible display name', { displayName: '\u200B\u200B' }, 'displayName'],
    ['oversized bio', { bio: 'b'.repeat(501) }, 'bio'],
    ['number as bio', { bio: 5 }, 'bio'],
    ['unknown field', { role: 'admin' }, 'role'],
  ])('refuses %s', async (_name, body, field) => {
    const u = await register(t.http);
    const res = await t.http.patch('/api/users/me').set(...bearer(u.token)).send(body).expect(400);
    expect((res.body as ApiErrorBody).error.details?.[0].field).toBe(field);
    const me = (await t.http.get('/api/users/me').set(...bearer(u.token))).body as MeView;
    expect(me.displayName).toBe(u.request.displayName);
  });
});

describe('privacy and appearance', () => {
  it('stores privacy choices and refuses unknown audiences', async () => {
    const u = await register(t.http);
    const res = await t.http.patch('/api/users/me/privacy').set(...bearer(u.token)).send({ profile: 'friends', presence: 'nobody' }).expect(200);
    expect((res.body as MeView).privacy).toEqual({ profile: 'friends', search: 'everyone', message: 'everyone', presence: 'nobody', groupAdd: 'everyone', forwards: 'everyone' });
    await t.http.patch('/api/users/me/privacy').set(...bearer(u.token)).send({ search: 'aliens' }).expect(400);
    const me = (await t.http.get('/api/users/me').set(...bearer(u.token))).body as MeView;
    expect(me.privacy.search).toBe('everyone');
  });

  it('stores appearance and refuses a malformed colour', async () => {
    const u = await register(t.http);
    const res = await t.http.patch('/api/users/me/appearance').set(...bearer(u.token))
      .send({ theme: 'dark', accentColor: '#AA22CC', wallpaper: 'waves', locale: 'ru' }).expect(200);
    expect((res.body as MeView).appearance).toEqual({ theme: 'dark', accentColor: '#aa22cc', wallpaper: 'waves', locale: 'ru' });
    for (const accentColor of ['red', '#12345', 'url(javascript:1)', 42]) {
      await t.http.patch('/api/users/me/appearance').set(...bearer(u.token)).send({ accentColor }).expect(400);
    }
    const me = (await t.http.get('/api/users/me').set(...bearer(u.token))).body as MeView;
    expect(me.appearance.accentColor).toBe('#aa22cc');
  });
});

describe('avatar and cover', () => {
  it('crops an uploaded image into sizes served as WebP', async () => {
    const u = await register(t.http);
    const res = await t.http.put('/api/users/me/avatar').set(...bearer(u.token)).attach('file', await png(800, 600), 'me.png').expect(200);
    const avatar = (res.body as MeView).avatar!;
    const small = await t.http.get(avatar.small).expect(200);
    expect(small.headers['content-type']).toBe('image/webp');
    expect(small.headers['x-content-type-options']).toBe('nosniff');
    const meta = await sharp(small.body as Buffer).metadata();
    expect([meta.width, meta.height]).toEqual([96, 96]);
    const cover = await t.http.put('/api/users/me/cover').set(...bearer(u.token)).attach('file', await png(300, 100), 'c.png').expect(200);
    const large = await t.http.get((cover.body as MeView).cover!.large).expect(200);
    expect((await sharp(large.body as Buffer).metadata()).width).toBe(1500);
    await t.http.delete('/api/users/me/avatar').set(...bearer(u.token)).expect(200);
    await t.http.get(avatar.small).expect(404);
  });

  it('refuses what is not an image, whatever its name says (415)', async () => {
    const u = await register(t.http);
    const res = await t.http.put('/api/users/me/avatar').set(...bearer(u.token))
      .attach('file', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), { filename: 'a.png', contentType: 'image/png' })
      .expect(415);
    expect((res.body as ApiErrorBody).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(((await t.http.get('/api/users/me').set(...bearer(u.token))).body as MeView).avatar).toBeNull();
  });

  it('refuses an oversized file (413) and a missing one (400)', async () => {
    const u = await register(t.http);
    const big = await sharp(randomBytes(600 * 600 * 3), { raw: { width: 600, height: 600, channels: 3 } }).png().toBuffer();
    expect(big.length).toBeGreaterThan(256 * 1024);
    const res = await t.http.put('/api/users/me/avatar').set(...bearer(u.token)).attach('file', big, 'big.png').expect(413);
    expect((res.body as ApiErrorBody).error.code).toBe('PAYLOAD_TOO_LARGE');
    await t.http.put('/api/users/me/avatar').set(...bearer(u.token)).expect(400);
  });

  it('serves nothing outside the media folders', async () => {
    await t.http.get('/api/media/avatars/..%2F..%2Fsecrets.json').expect(404);
    await t.http.get('/api/media/secrets/00000000-0000-0000-0000-000000000000-small.webp').expect(404);
  });
});

describe('profiles seen by others', () => {
  it('shows details to everyone by default and hides them when the owner says so', async () => {
    const owner = await register(t.http);
    const viewer = await register(t.http);
    await t.http.patch('/api/users/me').set(...bearer(owner.token)).send({ bio: 'hello' }).expect(200);
    const open = (await t.http.get(`/api/users/by-username/${owner.request.username}`).set(...bearer(viewer.token)).expect(200)).body as UserView;
    expect(open).toMatchObject({ bio: 'hello', relationship: 'none', canMessage: true });
    expect(open.presence).not.toBeNull();
    await t.http.patch('/api/users/me/privacy').set(...bearer(owner.token)).send({ profile: 'nobody', presence: 'nobody', message: 'nobody' }).expect(200);
    const hidden = (await t.http.get(`/api/users/by-username/${owner.request.username}`).set(...bearer(viewer.token)).expect(200)).body as UserView;
    expect(hidden).toMatchObject({ bio: null, cover: null, presence: null, canMessage: false });
    const self = (await t.http.get(`/api/users/by-username/${owner.request.username}`).set(...bearer(owner.token)).expect(200)).body as UserView;
    expect(self).toMatchObject({ bio: 'hello', relationship: 'self' });
  });

  it('answers a missing user with 404', async () => {
    const viewer = await register(t.http);
    const res = await t.http.get(`/api/users/by-username/${uniqueName('nobody')}`).set(...bearer(viewer.token)).expect(404);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Not found' } });
  });
});
