import type { MessageHistoryView, MessageView } from '@app/contracts';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { openChat, sendMessage } from './support/chats.js';
import { MISSING_ID, NOT_FOUND_TEXT } from './support/social.js';
import { closeAllSockets, connected, emitAck } from './support/sockets.js';

let t: TestApp;
let db: DataSource;

beforeAll(async () => {
  t = await createTestApp({ MESSAGE_EDIT_WINDOW_HOURS: '2' });
  db = t.app.get<DataSource>(DataSource);
});
afterAll(() => t.close());

async function edit(u: Registered, chatId: string, id: string, text: string): Promise<{ status: number; body: MessageView & { error?: { code: string; message: string } } }> {
  const res = await t.http.patch(`/api/chats/${chatId}/messages/${id}`).set(...bearer(u.token)).send({ text });
  return { status: res.status, body: res.body };
}

const history = (u: Registered, chatId: string, id: string) => t.http.get(`/api/chats/${chatId}/messages/${id}/history`).set(...bearer(u.token));

describe('edit history', () => {
  it('every member sees a message’s earlier versions, oldest first, the current text last', async () => {
    const [author, reader, third] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
    const chat = await openChat(t.http, author.token, [reader.auth.user.id, third.auth.user.id], 'Edits');
    const sent = await sendMessage(t.http, author.token, chat.id, 'first draft');
    expect((await edit(author, chat.id, sent.id, 'second take')).status).toBe(200);
    const last = await edit(author, chat.id, sent.id, 'final words');
    expect(last.status).toBe(200);
    const res = await history(reader, chat.id, sent.id).expect(200);
    const view = res.body as MessageHistoryView;
    expect(view.messageId).toBe(sent.id);
    expect(view.versions.map((v) => v.text)).toEqual(['first draft', 'second take', 'final words']);
    expect(view.versions[0].writtenAt).toBe(sent.createdAt);
    expect(view.versions[2].writtenAt).toBe(last.body.editedAt);
    const times = view.versions.map((v) => Date.parse(v.writtenAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect((await history(author, chat.id, sent.id).expect(200)).body).toEqual(view);
  });

  it('a message never edited has one version', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const chat = await openChat(t.http, a.token, [b.auth.user.id]);
    const sent = await sendMessage(t.http, a.token, chat.id, 'as is');
    expect((await history(b, chat.id, sent.id).expect(200)).body).toEqual({ messageId: sent.id, versions: [{ text: 'as is', entities: [], writtenAt: sent.createdAt }] });
  });

  it('is not shown outside the chat: the answer is the one for a message that does not exist', async () => {
    const [a, b, outsider] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
    const chat = await openChat(t.http, a.token, [b.auth.user.id]);
    const sent = await sendMessage(t.http, a.token, chat.id, 'private');
    await edit(a, chat.id, sent.id, 'still private');
    const hidden = await history(outsider, chat.id, sent.id).expect(404);
    const missing = await history(a, chat.id, MISSING_ID).expect(404);
    const noChat = await history(outsider, MISSING_ID, sent.id).expect(404);
    expect(hidden.text).toBe(NOT_FOUND_TEXT);
    expect(missing.text).toBe(NOT_FOUND_TEXT);
    expect(noChat.text).toBe(NOT_FOUND_TEXT);
  });

  it('deleting a message removes its history too', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const chat = await openChat(t.http, a.token, [b.auth.user.id]);
    const sent = await sendMessage(t.http, a.token, chat.id, 'oops');
    await edit(a, chat.id, sent.id, 'oops, fixed');
    const count = async (): Promise<number> =>
      Number(((await db.query('SELECT count(*)::int AS n FROM message_edits WHERE message_id = $1', [sent.id])) as { n: number }[])[0].n);
    expect(await count()).toBe(1);
    await t.http.delete(`/api/chats/${chat.id}/messages/${sent.id}`).set(...bearer(a.token)).expect(200);
    expect(await count()).toBe(0);
    expect((await history(b, chat.id, sent.id).expect(404)).text).toBe(NOT_FOUND_TEXT);
  });
});

describe('edit history over the socket', () => {
  it('answers the same versions with one ack, and NOT_FOUND outside the chat', async () => {
    const [a, b, outsider] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
    const chat = await openChat(t.http, a.token, [b.auth.user.id]);
    const sent = await sendMessage(t.http, a.token, chat.id, 'v1');
    await edit(a, chat.id, sent.id, 'v2');
    const url = await t.listen();
    const [bSocket, outsiderSocket] = await Promise.all([connected(url, b.token), connected(url, outsider.token)]);
    const got = await emitAck<'message:history', MessageHistoryView>(bSocket, 'message:history', { chatId: chat.id, messageId: sent.id });
    expect(got).toEqual({ ok: true, data: (await history(b, chat.id, sent.id).expect(200)).body });
    const hidden = await emitAck(outsiderSocket, 'message:history', { chatId: chat.id, messageId: sent.id });
    expect(hidden).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    closeAllSockets();
  });
});

describe('the edit window (MESSAGE_EDIT_WINDOW_HOURS)', () => {
  it('refuses an edit past the window with 403 and a clear message, and changes nothing', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const chat = await openChat(t.http, a.token, [b.auth.user.id]);
    const old = await sendMessage(t.http, a.token, chat.id, 'written long ago');
    const fresh = await sendMessage(t.http, a.token, chat.id, 'written now');
    await db.query(`UPDATE messages SET created_at = now() - interval '3 hours' WHERE id = $1`, [old.id]);
    const refused = await edit(a, chat.id, old.id, 'rewritten');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', message: 'Messages can be edited for 2 hours after they are sent' });
    const after = await t.http.get(`/api/chats/${chat.id}/messages`).set(...bearer(b.token)).expect(200);
    const stored = (after.body.items as MessageView[]).find((m) => m.id === old.id);
    expect(stored).toMatchObject({ text: 'written long ago', editedAt: null });
    expect((await history(b, chat.id, old.id).expect(200)).body.versions).toHaveLength(1);
    expect((await edit(a, chat.id, fresh.id, 'still in time')).status).toBe(200);
  });
});
