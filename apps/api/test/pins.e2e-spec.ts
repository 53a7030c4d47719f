import type { ChatEventsView, PinView, PinsView } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { openChat, sendMessage } from './support/chats.js';
import { closeAllSockets, connected, emitAck, waitForEvent } from './support/sockets.js';
import { MISSING_ID, NOT_FOUND_TEXT } from './support/social.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.listen();
});
afterEach(() => closeAllSockets());
afterAll(() => t.close());

const pin = (u: Registered, chatId: string, messageId: string) => t.http.put(`/api/chats/${chatId}/pins/${messageId}`).set(...bearer(u.token));
const unpin = (u: Registered, chatId: string, messageId: string) => t.http.delete(`/api/chats/${chatId}/pins/${messageId}`).set(...bearer(u.token));
const pins = async (u: Registered, chatId: string): Promise<string[]> =>
  ((await t.http.get(`/api/chats/${chatId}/pins`).set(...bearer(u.token)).expect(200)).body as PinsView).items.map((p) => p.message.text ?? '');

describe('pinned messages', () => {
  it('in a dialog either person pins and unpins; the other sees it live, and the list is newest first', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const chat = await openChat(t.http, a.token, [b.auth.user.id]);
    const first = await sendMessage(t.http, a.token, chat.id, 'first');
    const second = await sendMessage(t.http, b.token, chat.id, 'second');
    const bSocket = await connected(t.url, b.token);
    const seen = waitForEvent(bSocket, 'chat:pinned', (e) => e.chatId === chat.id);
    const pinned = (await pin(a, chat.id, first.id).expect(200)).body as PinView;
    expect(pinned).toMatchObject({ message: { id: first.id, text: 'first' }, pinnedBy: a.auth.user.id });
    expect((await seen).data).toEqual(pinned);
    await pin(b, chat.id, second.id).expect(200);
    expect(await pins(a, chat.id)).toEqual(['second', 'first']);
    // Pinning again changes nothing and takes no seq.
    const before = (await t.http.get(`/api/chats/${chat.id}`).set(...bearer(a.token))).body.lastSeq as number;
    expect(((await pin(a, chat.id, first.id).expect(200)).body as PinView).pinnedAt).toBe(pinned.pinnedAt);
    expect((await t.http.get(`/api/chats/${chat.id}`).set(...bearer(a.token))).body.lastSeq).toBe(before);
    const gone = waitForEvent(bSocket, 'chat:unpinned', (e) => e.chatId === chat.id);
    await unpin(a, chat.id, second.id).expect(204);
    expect((await gone).data).toEqual({ messageId: second.id });
    expect(await pins(b, chat.id)).toEqual(['first']);
    expect((await unpin(a, chat.id, second.id).expect(404)).text).toBe(NOT_FOUND_TEXT);
  });

  it('in a group only admins and the owner pin; a member is refused 403', async () => {
    const [owner, admin, member] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
    const chat = await openChat(t.http, owner.token, [admin.auth.user.id, member.auth.user.id], 'Pins');
    await t.http.patch(`/api/chats/${chat.id}/members/${admin.auth.user.id}`).set(...bearer(owner.token)).send({ role: 'admin' }).expect(200);
    const m = await sendMessage(t.http, member.token, chat.id, 'pin me');
    const refused = await pin(member, chat.id, m.id).expect(403);
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', message: 'Only admins can pin messages in a group' });
    await pin(admin, chat.id, m.id).expect(200);
    expect((await unpin(member, chat.id, m.id).expect(403)).body.error.code).toBe('FORBIDDEN');
    await unpin(owner, chat.id, m.id).expect(204);
  });

  it('refuses the 101st pin with a clear 409, and pins nothing', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const chat = await openChat(t.http, a.token, [b.auth.user.id]);
    const sent = await Promise.all(Array.from({ length: 101 }, (_, i) => sendMessage(t.http, a.token, chat.id, `m${i}`)));
    // Pins race on the chat row lock; the count is checked under it, so all 100 fit.
    for (let i = 0; i < 100; i += 20) await Promise.all(sent.slice(i, i + 20).map((m) => pin(a, chat.id, m.id).expect(200)));
    const refused = await pin(b, chat.id, sent[100].id).expect(409);
    expect(refused.body.error).toMatchObject({ code: 'CONFLICT', message: 'A chat can have at most 100 pinned messages: unpin one first' });
    expect(await pins(a, chat.id)).toHaveLength(100);
    expect(await pins(a, chat.id)).not.toContain('m100');
    // One out, then it fits.
    await unpin(a, chat.id, sent[0].id).expect(204);
    await pin(b, chat.id, sent[100].id).expect(200);
  }, 90_000);

  it('outsiders get the answer of a chat that does not exist; deleted messages cannot be pinned and leave the list', async () => {
    const [a, b, outsider] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
    const chat = await openChat(t.http, a.token, [b.auth.user.id]);
    const m = await sendMessage(t.http, a.token, chat.id, 'secret');
    expect((await pin(outsider, chat.id, m.id).expect(404)).text).toBe(NOT_FOUND_TEXT);
    expect((await t.http.get(`/api/chats/${chat.id}/pins`).set(...bearer(outsider.token)).expect(404)).text).toBe(NOT_FOUND_TEXT);
    expect((await pin(a, MISSING_ID, m.id).expect(404)).text).toBe(NOT_FOUND_TEXT);
    expect((await pin(a, chat.id, MISSING_ID).expect(404)).text).toBe(NOT_FOUND_TEXT);
    await pin(a, chat.id, m.id).expect(200);
    await t.http.delete(`/api/chats/${chat.id}/messages/${m.id}`).set(...bearer(a.token)).expect(200);
    expect(await pins(b, chat.id)).toEqual([]);
    expect((await pin(a, chat.id, m.id).expect(409)).body.error.message).toBe('This message was deleted');
  });

  it('goes through the event log: catch-up replays pins and unpins in order', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const chat = await openChat(t.http, a.token, [b.auth.user.id]);
    const m = await sendMessage(t.http, a.token, chat.id, 'anchor');
    await pin(a, chat.id, m.id).expect(200);
    await unpin(b, chat.id, m.id).expect(204);
    await pin(b, chat.id, m.id).expect(200);
    const log = (await t.http.get(`/api/chats/${chat.id}/events`).query({ after: m.seq }).set(...bearer(b.token)).expect(200)).body as ChatEventsView;
    expect(log.events.map((e) => [e.type, e.type === 'chat:unpinned' ? e.data.messageId : (e.data as PinView).message.id])).toEqual([
      ['chat:pinned', m.id],
      ['chat:unpinned', m.id],
      ['chat:pinned', m.id],
    ]);
  });

  it('works over the socket with one ack each: the same rules and the same answers', async () => {
    const [owner, member] = await Promise.all([register(t.http), register(t.http)]);
    const chat = await openChat(t.http, owner.token, [member.auth.user.id], 'Socket pins');
    const m = await sendMessage(t.http, member.token, chat.id, 'over the wire');
    const [ownerSocket, memberSocket] = await Promise.all([connected(t.url, owner.token), connected(t.url, member.token)]);
    const refused = await emitAck(memberSocket, 'pin:add', { chatId: chat.id, messageId: m.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'Only admins can pin messages in a group' } });
    const live = waitForEvent(memberSocket, 'chat:pinned', (e) => e.chatId === chat.id);
    const added = await emitAck<'pin:add', PinView>(ownerSocket, 'pin:add', { chatId: chat.id, messageId: m.id });
    expect(added).toMatchObject({ ok: true, data: { message: { id: m.id }, pinnedBy: owner.auth.user.id } });
    expect((await live).data.message.id).toBe(m.id);
    const listed = await emitAck<'pin:list', PinsView>(memberSocket, 'pin:list', { chatId: chat.id });
    expect(listed.ok && listed.data.items.map((p) => p.message.id)).toEqual([m.id]);
    expect(await emitAck(ownerSocket, 'pin:remove', { chatId: chat.id, messageId: m.id })).toEqual({ ok: true, data: null });
    const missing = await emitAck(ownerSocket, 'pin:remove', { chatId: chat.id, messageId: m.id });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
