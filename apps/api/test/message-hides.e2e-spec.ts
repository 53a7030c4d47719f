import type { ChatEventsView, ChatView, HistoryView, MessageSearchHit, Page } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { openChat, sendMessage } from './support/chats.js';
import { bearer, registerMany, type Registered } from './support/factories.js';
import { closeAllSockets, connected, emitAck, record, sleep, waitForEvent, type ClientSocket } from './support/sockets.js';
import { idOf, MISSING_ID, NOT_FOUND_TEXT } from './support/social.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.listen();
});
afterEach(() => closeAllSockets());
afterAll(() => t.close());

const socketOf = (u: Registered): Promise<ClientSocket> => connected(t.url, u.token);
const history = async (u: Registered, chatId: string): Promise<string[]> =>
  ((await t.http.get(`/api/chats/${chatId}/messages`).set(...bearer(u.token)).expect(200)).body as HistoryView).items.map((m) => m.text ?? '');

describe('delete for me', () => {
  it('hides the message from my history on every device and after reloads; the others keep it', async () => {
    const [me, peer] = await registerMany(t.http, 2);
    const chat = await openChat(t.http, me.token, [idOf(peer)]);
    const keep = await sendMessage(t.http, peer.token, chat.id, 'keep this findable');
    const gone = await sendMessage(t.http, peer.token, chat.id, 'forget this findable');
    const [phone, laptop, peerSocket] = await Promise.all([socketOf(me), socketOf(me), socketOf(peer)]);
    const peerHeard = record(peerSocket, 'message:hidden');
    const onPhone = waitForEvent(phone, 'message:hidden');
    const onLaptop = waitForEvent(laptop, 'message:hidden');

    await t.http.post(`/api/chats/${chat.id}/messages/${gone.id}/hide`).set(...bearer(me.token)).expect(204);
    expect(await onPhone).toEqual({ chatId: chat.id, messageId: gone.id });
    expect(await onLaptop).toEqual({ chatId: chat.id, messageId: gone.id });
    expect(await history(me, chat.id)).toEqual(['keep this findable']);
    expect(await history(peer, chat.id)).toEqual(['keep this findable', 'forget this findable']);
    const found = (await t.http.get('/api/messages/search').query({ q: 'findable' }).set(...bearer(me.token)).expect(200)).body as Page<MessageSearchHit>;
    expect(found.items.map((r) => r.message.id)).toEqual([keep.id]);
    // A catch-up names it, so no device brings it back.
    const events = (await t.http.get(`/api/chats/${chat.id}/events`).query({ after: 0 }).set(...bearer(me.token)).expect(200)).body as ChatEventsView;
    expect(events.hidden).toEqual([gone.id]);
    // The chat list previews what is left.
    const list = (await t.http.get('/api/chats').set(...bearer(me.token)).expect(200)).body as Page<ChatView>;
    expect(list.items.find((c) => c.id === chat.id)).toMatchObject({ lastMessage: { id: keep.id }, unread: 1 });
    expect((await t.http.get('/api/me/counters').set(...bearer(me.token)).expect(200)).body).toMatchObject({ unreadMessages: 1 });
    const theirs = (await t.http.get(`/api/chats/${chat.id}`).set(...bearer(peer.token)).expect(200)).body as ChatView;
    expect(theirs.lastMessage?.id).toBe(gone.id);
    // A device that was away asks what to drop from the window it holds.
    const hiddenFrom = (from: number, u = me) => t.http.get(`/api/chats/${chat.id}/hidden`).query({ from }).set(...bearer(u.token));
    expect((await hiddenFrom(keep.seq).expect(200)).body).toEqual({ messageIds: [gone.id] });
    expect((await hiddenFrom(gone.seq + 1).expect(200)).body).toEqual({ messageIds: [] });
    expect((await hiddenFrom(0, peer).expect(200)).body).toEqual({ messageIds: [] });
    await hiddenFrom(-1).expect(400);
    // Idempotent.
    await t.http.post(`/api/chats/${chat.id}/messages/${gone.id}/hide`).set(...bearer(me.token)).expect(204);
    await sleep(150);
    expect(peerHeard).toEqual([]);
  });

  it('over the socket, with one ack; what I cannot see answers exactly like what does not exist', async () => {
    const [me, a, b] = await registerMany(t.http, 3);
    const mine = await openChat(t.http, me.token, [idOf(a)]);
    const theirs = await openChat(t.http, a.token, [idOf(b)]);
    const secret = await sendMessage(t.http, a.token, theirs.id, 'not for me');
    const m = await sendMessage(t.http, a.token, mine.id, 'hide me');
    const s = await socketOf(me);
    expect(await emitAck(s, 'message:hide', { chatId: mine.id, messageId: m.id })).toEqual({ ok: true, data: null });
    expect(await history(me, mine.id)).toEqual([]);

    const missing = await t.http.post(`/api/chats/${mine.id}/messages/${MISSING_ID}/hide`).set(...bearer(me.token)).expect(404);
    const foreign = await t.http.post(`/api/chats/${theirs.id}/messages/${secret.id}/hide`).set(...bearer(me.token)).expect(404);
    const wrongChat = await t.http.post(`/api/chats/${mine.id}/messages/${secret.id}/hide`).set(...bearer(me.token)).expect(404);
    for (const res of [missing, foreign, wrongChat]) expect(res.text).toBe(NOT_FOUND_TEXT);
    await t.http.post(`/api/chats/not-a-uuid/messages/nope/hide`).set(...bearer(me.token)).expect(404);
    const notMine = await t.http.get(`/api/chats/${theirs.id}/hidden`).query({ from: 0 }).set(...bearer(me.token)).expect(404);
    expect(notMine.text).toBe(NOT_FOUND_TEXT);
    const refused = await emitAck(s, 'message:hide', { chatId: theirs.id, messageId: secret.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await history(a, theirs.id)).toEqual(['not for me']);
  });
});
