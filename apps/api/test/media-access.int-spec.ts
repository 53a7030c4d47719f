import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { Test } from 'supertest';
import type { ChatView, HistoryView, MediaKeyView, MediaView, MessageView } from '@app/contracts';
import { createTestApp, eventually, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { openChat } from './support/chats.js';
import { files, mediaKey, uploaded } from './support/media.js';
import { MISSING_ID, NOT_FOUND_TEXT } from './support/social.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const idOf = (u: Registered): string => u.auth.user.id;

/** Status and raw body of a media GET, by bearer token or by media key. */
async function get(url: string, as: { token?: string; key?: string }): Promise<{ status: number; text: string }> {
  const req = t.http.get(as.key === undefined ? url : `${url}?k=${encodeURIComponent(as.key)}`);
  if (as.token) req.set(...bearer(as.token));
  const res = await req.buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });
  return { status: res.status, text: (res.body as Buffer).toString('latin1') };
}

/** The viewer sees the file by every URL and by both kinds of credential. */
async function expectVisible(view: MediaView, u: Registered): Promise<void> {
  const key = await mediaKey(t.http, u.token);
  for (const url of [view.urls.original, view.urls.thumb!, ...view.urls.sizes.map((s) => s.url)]) {
    expect((await get(url, { token: u.token })).status).toBe(200);
    expect((await get(url, { key })).status).toBe(200);
  }
}

/** The viewer gets, by every URL and both credentials, exactly what a random id answers. */
async function expectHidden(view: MediaView, u: Registered): Promise<void> {
  const key = await mediaKey(t.http, u.token);
  const missing = await get(`/api/media/${MISSING_ID}/original`, { token: u.token });
  expect(missing).toEqual({ status: 404, text: NOT_FOUND_TEXT });
  for (const url of [view.urls.original, view.urls.thumb!, ...view.urls.sizes.map((s) => s.url)]) {
    expect(await get(url, { token: u.token })).toEqual(missing);
    expect(await get(url, { key })).toEqual(missing);
  }
}

function send(u: Registered, chat: ChatView, mediaIds: string[], text = '', clientId = randomUUID()): Test {
  return t.http.post(`/api/chats/${chat.id}/messages`).set(...bearer(u.token)).send({ clientId, text, mediaIds });
}

async function group(): Promise<{ a: Registered; b: Registered; c: Registered; chat: ChatView }> {
  const [a, b, c] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
  return { a, b, c, chat: await openChat(t.http, a.token, [idOf(b), idOf(c)], 'Photos') };
}

describe('who may fetch a media file', () => {
  it('before it is sent: only its uploader; a stranger gets the same 404 as a missing id', async () => {
    const [owner, stranger] = await Promise.all([register(t.http), register(t.http)]);
    const view = await uploaded(t.http, owner.token, await files.png(900, 700), 'mine.png');
    await expectVisible(view, owner);
    await expectHidden(view, stranger);
  });

  it('once sent: the current members; a removed member, a member who left and a stranger get 404', async () => {
    const { a, b, c, chat } = await group();
    const stranger = await register(t.http);
    const view = await uploaded(t.http, a.token, await files.png(900, 700), 'group.png');
    await send(a, chat, [view.id]).expect(201);
    for (const u of [a, b, c]) await expectVisible(view, u);
    await expectHidden(view, stranger);
    const cKey = await mediaKey(t.http, c.token);
    await t.http.delete(`/api/chats/${chat.id}/members/${idOf(c)}`).set(...bearer(a.token)).expect(204);
    await expectHidden(view, c);
    // A key minted while still a member proves who c is, not what c may see.
    expect(await get(view.urls.original, { key: cKey })).toEqual({ status: 404, text: NOT_FOUND_TEXT });
    await t.http.post(`/api/chats/${chat.id}/leave`).set(...bearer(b.token)).expect(204);
    await expectHidden(view, b);
    await expectVisible(view, a);
  });

  it('a deleted message takes its media with it, for everyone, files included, and leaves attachments empty', async () => {
    const { a, b, chat } = await group();
    const view = await uploaded(t.http, a.token, await files.png(64, 64), 'oops.png');
    const sent = (await send(a, chat, [view.id]).expect(201)).body as MessageView;
    const folder = join(t.config.media.dir, 'media', view.id);
    expect((await readdir(folder)).length).toBeGreaterThan(0);
    const deleted = (await t.http.delete(`/api/chats/${chat.id}/messages/${sent.id}`).set(...bearer(a.token)).expect(200)).body as MessageView;
    expect(deleted.attachments).toEqual([]);
    await expectHidden(view, a);
    await expectHidden(view, b);
    const gallery = await t.http.get(`/api/chats/${chat.id}/media`).set(...bearer(b.token)).expect(200);
    expect(gallery.body).toEqual({ items: [], nextCursor: null });
    // Removed from storage, not only hidden: every rendition's file is gone.
    expect(await eventually(async () => ((await readdir(folder).catch(() => [])).length === 0 ? true : undefined))).toBe(true);
    const rows = (await t.app.get(DataSource).query('SELECT id FROM media WHERE id = $1', [view.id])) as unknown[];
    expect(rows).toEqual([]);
  });

  it('answers 401 (before any lookup) without credentials, with a forged or expired key, and after sign-out', async () => {
    const owner = await register(t.http);
    const view = await uploaded(t.http, owner.token, await files.png(32, 32), 'k.png');
    const key = await mediaKey(t.http, owner.token);
    for (const url of [view.urls.original, `/api/media/${MISSING_ID}/original`]) {
      const res = await t.http.get(url).expect(401);
      expect(res.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Authentication required' } });
      expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    }
    const [version, user, session, expiry, mac] = key.split('.');
    const forged = [
      [version, user, session, String(Number(expiry) + 3_600_000), mac].join('.'),
      [version, user, session, expiry, `${mac.slice(0, -2)}AA`].join('.'),
      [version, idOf(await register(t.http)), session, expiry, mac].join('.'),
      [version, user, session, String(Date.now() - 1000), mac].join('.'),
      'not-a-key',
    ];
    for (const bad of forged) expect((await get(view.urls.original, { key: bad })).status).toBe(401);
    expect((await get(view.urls.original, { token: 'not.a.jwt' })).status).toBe(401);
    expect((await get(view.urls.original, { key })).status).toBe(200);
    await t.http.post('/api/auth/logout').set(...bearer(owner.token)).expect(204);
    expect((await get(view.urls.original, { key })).status).toBe(401);
  });

  it('issues a key bound to the caller, valid for 30 to 60 minutes (window stability: media-keys.spec.ts)', async () => {
    const u = await register(t.http);
    const first = (await t.http.get('/api/media/key').set(...bearer(u.token)).expect(200)).body as MediaKeyView;
    expect(first.param).toBe('k');
    expect(first.key.split('.')[1]).toBe(idOf(u));
    const ttl = Date.parse(first.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(29 * 60 * 1000);
    expect(ttl).toBeLessThanOrEqual(60 * 60 * 1000);
    await t.http.get('/api/media/key').expect(401);
  });

  it('answers an unknown variant or a malformed id like a missing file', async () => {
    const u = await register(t.http);
    const view = await uploaded(t.http, u.token, await files.png(32, 32), 'v.png');
    for (const url of [`/api/media/${view.id}/poster`, `/api/media/${view.id}/w9999`, `/api/media/${view.id}/__proto__`, '/api/media/not-a-uuid/original']) {
      expect(await get(url, { token: u.token })).toEqual({ status: 404, text: NOT_FOUND_TEXT });
    }
  });
});

describe('sending media in a message', () => {
  it('sends photos without text, in the given order, shown in history and in the chat list', async () => {
    const { a, b, chat } = await group();
    const [one, two] = [await uploaded(t.http, a.token, await files.png(64, 64)), await uploaded(t.http, a.token, await files.webp())];
    const sent = (await send(a, chat, [two.id, one.id]).expect(201)).body as MessageView;
    expect(sent.text).toBe('');
    expect(sent.attachments).toEqual([two, one]);
    const history = (await t.http.get(`/api/chats/${chat.id}/messages`).set(...bearer(b.token)).expect(200)).body as HistoryView;
    expect(history.items.at(-1)).toEqual(sent);
    const list = (await t.http.get('/api/chats').set(...bearer(b.token)).expect(200)).body as { items: ChatView[] };
    expect(list.items.find((c) => c.id === chat.id)?.lastMessage?.attachments).toEqual([two, one]);
    const plain = (await send(a, chat, [], 'just text').expect(201)).body as MessageView;
    expect(plain.attachments).toEqual([]);
  });

  it('a retry with the same client id returns the stored message with the same attachments', async () => {
    const { a, chat } = await group();
    const photo = await uploaded(t.http, a.token, await files.png(50, 50));
    const clientId = randomUUID();
    const first = (await send(a, chat, [photo.id], 'caption', clientId).expect(201)).body as MessageView;
    const again = (await send(a, chat, [photo.id], 'caption', clientId).expect(200)).body as MessageView;
    expect(again).toEqual(first);
    expect(again.attachments.map((m) => m.id)).toEqual([photo.id]);
  });

  it('refuses media that is missing, someone else\'s or already sent (400), and stores nothing', async () => {
    const { a, b, chat } = await group();
    const mine = await uploaded(t.http, a.token, await files.png(40, 40));
    const theirs = await uploaded(t.http, b.token, await files.png(40, 40));
    await send(a, chat, [mine.id]).expect(201);
    const fresh = await uploaded(t.http, a.token, await files.png(40, 40));
    for (const ids of [[MISSING_ID], [theirs.id], [mine.id], [fresh.id, theirs.id]]) {
      const res = await send(a, chat, ids).expect(400);
      expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: [{ field: 'mediaIds', code: 'not_found' }] } });
    }
    await expectVisible(fresh, a);
    await expectHidden(fresh, b);
    const history = (await t.http.get(`/api/chats/${chat.id}/messages`).set(...bearer(a.token)).expect(200)).body as HistoryView;
    // The group's own service line ("group created") is in its history too.
    expect(history.items.filter((m) => !m.service)).toHaveLength(1);
    await send(a, chat, []).expect(400);
    await send(a, chat, [fresh.id, fresh.id]).expect(400);
    await send(a, chat, ['not-a-uuid']).expect(400);
  });

  it('a non-member cannot attach to a chat it is not in (404), and the upload stays unsent', async () => {
    const { chat } = await group();
    const outsider = await register(t.http);
    const photo = await uploaded(t.http, outsider.token, await files.png(40, 40));
    await send(outsider, chat, [photo.id]).expect(404);
    await expectVisible(photo, outsider);
  });
});
