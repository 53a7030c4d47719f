import { randomUUID } from 'node:crypto';
import type { GalleryItem, MediaView, MessageView, Page } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { openChat } from './support/chats.js';
import { binary, files, upload, uploaded } from './support/media.js';
import { idOf, NOT_FOUND_TEXT } from './support/social.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ MEDIA_MAX_FILE_BYTES: String(64 * 1024) });
  await t.listen();
});
afterAll(() => t.close());

const asFile = (u: Registered, body: Buffer, name: string) =>
  t.http.post('/api/media').query({ as: 'file' }).set(...bearer(u.token)).attach('file', body, { filename: name, contentType: 'text/html' });

const download = async (u: Registered, url: string) => {
  const res = await t.http.get(url).set(...bearer(u.token)).buffer(true).parse(binary);
  return { status: res.status, body: res.body as Buffer, headers: res.headers as Record<string, string> };
};

describe('files (documents)', () => {
  it('keeps any file as uploaded and serves it to members only as a download that never renders', async () => {
    const [ann, bob, eve] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
    const chat = await openChat(t.http, ann.token, [idOf(bob)]);
    // An HTML page with a script: stored, but never served as a page of the site.
    const page = Buffer.from('<html><script>alert(document.cookie)</script>report</html>');
    const view = (await asFile(ann, page, 'report;2026.html').expect(201)).body as MediaView;
    expect(view).toMatchObject({ kind: 'file', mime: 'application/octet-stream', name: 'report2026.html', size: page.length, width: 0, height: 0, placeholder: '' });
    expect(view.urls).toEqual({ original: `/api/media/${view.id}/original`, thumb: null, poster: null, sizes: [] });

    const sent = (await t.http.post(`/api/chats/${chat.id}/messages`).set(...bearer(ann.token)).send({ clientId: randomUUID(), text: 'the report', mediaIds: [view.id] }).expect(201)).body as MessageView;
    expect(sent.attachments).toEqual([view]);

    const got = await download(bob, view.urls.original);
    expect(got.status).toBe(200);
    expect(got.body.equals(page)).toBe(true);
    expect(got.headers['content-type']).toBe('application/octet-stream');
    expect(got.headers['content-disposition']).toBe(`attachment; filename="report2026.html"; filename*=UTF-8''report2026.html`);
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    // No renditions; a non-member gets exactly what a missing file gets.
    expect((await download(bob, `/api/media/${view.id}/thumb`)).status).toBe(404);
    const foreign = await t.http.get(view.urls.original).set(...bearer(eve.token)).expect(404);
    expect(foreign.text).toBe(NOT_FOUND_TEXT);
  });

  it('lists files on their own in the gallery (kind=file); the photos-and-videos list leaves them out', async () => {
    const [ann, bob] = await Promise.all([register(t.http), register(t.http)]);
    const chat = await openChat(t.http, ann.token, [idOf(bob)]);
    const doc = (await asFile(ann, Buffer.from('PK\u0003\u0004 not really a zip'), 'archive.zip').expect(201)).body as MediaView;
    const photo = await uploaded(t.http, ann.token, await files.png(64, 48), 'p.png');
    await t.http.post(`/api/chats/${chat.id}/messages`).set(...bearer(ann.token)).send({ clientId: randomUUID(), text: '', mediaIds: [photo.id, doc.id] }).expect(201);
    const list = async (kind?: string) =>
      ((await t.http.get(`/api/chats/${chat.id}/media`).query(kind ? { kind } : {}).set(...bearer(bob.token)).expect(200)).body as Page<GalleryItem>).items.map((i) => i.media.id);
    expect(await list('file')).toEqual([doc.id]);
    expect(await list('image')).toEqual([photo.id]);
    expect(await list()).toEqual([photo.id]);
  });

  it('refuses a file over the deployment limit (413) and, without ?as=file, anything not a photo or video (415)', async () => {
    const ann = await register(t.http);
    // One byte over, arriving with the end of the body: answered at once (this used to hang), photo or file.
    for (const as of [{ as: 'file' }, {}]) {
      const big = await t.http.post('/api/media').query(as).set(...bearer(ann.token)).attach('file', Buffer.alloc(64 * 1024 + 1, 1), 'big.bin').expect(413);
      expect(big.body.error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'The file is larger than 64 KiB, the most accepted' });
    }
    const notMedia = await upload(t.http, ann.token, Buffer.from('%PDF-1.7 hello'), 'doc.pdf', 'application/pdf').expect(415);
    expect(notMedia.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    await t.http.post('/api/media').query({ as: 'everything' }).set(...bearer(ann.token)).attach('file', Buffer.from('x'), 'x.txt').expect(400);
  });
});
