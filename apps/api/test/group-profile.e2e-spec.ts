import sharp from 'sharp';
import type { ApiErrorBody, ChatView, HistoryView } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, registerMany, type Registered } from './support/factories.js';
import { openChat } from './support/chats.js';
import { files } from './support/media.js';
import { closeAllSockets, connected, waitForEvent } from './support/sockets.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.listen();
});
afterAll(async () => {
  closeAllSockets();
  await t.close();
});

const MISSING = '00000000-0000-4000-8000-000000000000';
const putAvatar = (u: Registered, chatId: string, file: Buffer) =>
  t.http.put(`/api/chats/${chatId}/avatar`).set(...bearer(u.token)).attach('file', file, { filename: 'g.png', contentType: 'image/png' });
const describeAs = (u: Registered, chatId: string, description: string) =>
  t.http.put(`/api/chats/${chatId}/description`).set(...bearer(u.token)).send({ description });

describe('group picture and description', () => {
  let owner: Registered;
  let member: Registered;
  let outsider: Registered;
  let group: ChatView;

  beforeAll(async () => {
    [owner, member, outsider] = await registerMany(t.http, 3);
    group = await openChat(t.http, owner.token, [member.auth.user.id], 'Profiled');
  });

  it('lets admins describe the group; members see it live and in the chat', async () => {
    const socket = await connected(t.url, member.token);
    const live = waitForEvent(socket, 'chat:profile-changed', (e) => e.chatId === group.id);
    const res = await describeAs(owner, group.id, '  Books, tea and  \n long talks  ').expect(200);
    expect((res.body as ChatView).description).toBe('Books, tea and  \n long talks');
    expect((await live).data).toEqual({ avatar: null, description: 'Books, tea and  \n long talks' });
    const seen = (await t.http.get(`/api/chats/${group.id}`).set(...bearer(member.token)).expect(200)).body as ChatView;
    expect(seen.description).toBe('Books, tea and  \n long talks');
    expect(((await describeAs(owner, group.id, '').expect(200)).body as ChatView).description).toBeNull();
  });

  it('refuses members (403), outsiders and missing chats alike (404), and overlong text (400)', async () => {
    expect(((await describeAs(member, group.id, 'mine').expect(403)).body as ApiErrorBody).error.code).toBe('FORBIDDEN');
    const hidden = await describeAs(outsider, group.id, 'x').expect(404);
    const missing = await describeAs(outsider, MISSING, 'x').expect(404);
    expect(hidden.body).toEqual(missing.body);
    const long = await describeAs(owner, group.id, 'x'.repeat(501)).expect(400);
    expect((long.body as ApiErrorBody).error.details?.[0].field).toBe('description');
    await putAvatar(member, group.id, await files.png(64, 64)).expect(403);
    const hiddenUpload = await putAvatar(outsider, group.id, await files.png(64, 64)).expect(404);
    expect(hiddenUpload.body).toEqual(missing.body);
    const dialog = await openChat(t.http, owner.token, [member.auth.user.id]);
    await describeAs(owner, dialog.id, 'dialogs have none').expect(403);
  });

  it('takes a picture through the media pipeline, cropped square, replaced and removed, each in the history', async () => {
    const socket = await connected(t.url, member.token);
    const live = waitForEvent(socket, 'chat:profile-changed', (e) => e.chatId === group.id && e.data.avatar !== null);
    const first = (await putAvatar(owner, group.id, await files.png(800, 600)).expect(200)).body as ChatView;
    expect(first.avatar?.large).toMatch(/^\/api\/media\/group-avatars\/[0-9a-f-]{36}-large\.webp$/);
    expect((await live).data.avatar).toEqual(first.avatar);
    const large = await t.http.get(first.avatar!.large).expect(200);
    expect(large.headers['content-type']).toBe('image/webp');
    const meta = await sharp(large.body as Buffer).metadata();
    expect([meta.width, meta.height]).toEqual([512, 512]);

    const second = (await putAvatar(owner, group.id, await files.png(300, 300)).expect(200)).body as ChatView;
    expect(second.avatar?.small).not.toBe(first.avatar?.small);
    await t.http.get(first.avatar!.small).expect(404);
    const removed = (await t.http.delete(`/api/chats/${group.id}/avatar`).set(...bearer(owner.token)).expect(200)).body as ChatView;
    expect(removed.avatar).toBeNull();
    await t.http.get(second.avatar!.small).expect(404);

    const history = ((await t.http.get(`/api/chats/${group.id}/messages`).set(...bearer(member.token)).expect(200)).body as HistoryView).items;
    expect(history.flatMap((m) => (m.service?.type === 'group-photo-changed' ? [m.service.removed] : []))).toEqual([false, false, true]);
    const list = (await t.http.get(`/api/chats/${group.id}`).set(...bearer(member.token)).expect(200)).body as ChatView;
    expect(list.lastMessage?.service).toEqual({ type: 'group-photo-changed', actor: { id: owner.auth.user.id, name: owner.auth.user.displayName }, removed: true });
  });
});
