import { randomUUID } from 'node:crypto';
import type { ChatEventsView, ChatView, MediaView, MessageView, PinsView } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, registerMany, type Registered } from './support/factories.js';
import { ChatReplica, openChat, sendMessage } from './support/chats.js';
import { sounds, uploadVoice } from './support/media.js';
import { closeAllSockets, connected } from './support/sockets.js';
import { idOf } from './support/social.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.listen();
});
afterEach(() => closeAllSockets());
afterAll(() => t.close());

const as = (u: Registered) => ({
  get: (path: string) => t.http.get(path).set(...bearer(u.token)),
  put: (path: string, body?: object) => t.http.put(path).set(...bearer(u.token)).send(body),
  post: (path: string, body?: object) => t.http.post(path).set(...bearer(u.token)).send(body),
  patch: (path: string, body: object) => t.http.patch(path).set(...bearer(u.token)).send(body),
  del: (path: string) => t.http.delete(path).set(...bearer(u.token)),
});

/** Everything the server holds for one viewer of a chat: its history, pins (oldest pin first) and the viewer's draft. */
async function serverState(u: Registered, chatId: string) {
  const history = (await as(u).get(`/api/chats/${chatId}/messages`).query({ limit: 100 }).expect(200)).body as { items: MessageView[] };
  const pins = (await as(u).get(`/api/chats/${chatId}/pins`).expect(200)).body as PinsView;
  const chat = (await as(u).get(`/api/chats/${chatId}`).expect(200)).body as ChatView;
  return { messages: history.items, pins: pins.items.map((p) => p.message.id).reverse(), draft: chat.draft, lastSeq: chat.lastSeq };
}

describe('catching up after being offline', () => {
  it('a client offline during forwards, pins, edits, reactions, listens, deletes and draft changes ends exactly at the server state', async () => {
    const [ann, bob] = await registerMany(t.http, 2);
    const source = await openChat(t.http, bob.token, [idOf(ann)], 'Source');
    const fwdA = await sendMessage(t.http, bob.token, source.id, 'forward me');
    const fwdB = await sendMessage(t.http, ann.token, source.id, 'and me');
    const chat = await openChat(t.http, ann.token, [idOf(bob)]);
    const annFirst = await sendMessage(t.http, ann.token, chat.id, 'first version');
    const bobMsg = await sendMessage(t.http, bob.token, chat.id, 'bob says hi');
    const doomed = await sendMessage(t.http, bob.token, chat.id, 'to be deleted');
    const voice = (await uploadVoice(t.http, ann.token, await sounds.ogg(1)).expect(201)).body as MediaView;
    const spoken = (await as(ann).post(`/api/chats/${chat.id}/messages`, { clientId: randomUUID(), text: '', mediaIds: [voice.id] }).expect(201)).body as MessageView;
    await as(bob).put(`/api/chats/${chat.id}/pins/${bobMsg.id}`).expect(200);

    // The phone has what the server had, then loses its connection.
    const start = await serverState(ann, chat.id);
    const phone = new ChatReplica(chat.id, start.lastSeq);
    for (const m of start.messages) phone.messages.set(m.id, m);
    phone.pins.push(...start.pins);
    const socket = await connected(t.url, ann.token);
    phone.attach(socket, async (after) => (await as(ann).get(`/api/chats/${chat.id}/events`).query({ after }).expect(200)).body as ChatEventsView);
    socket.disconnect();

    // Meanwhile, elsewhere:
    await as(bob).post(`/api/chats/${chat.id}/forward`, { clientId: randomUUID(), fromChatId: source.id, messageIds: [fwdA.id, fwdB.id] }).expect(201);
    await as(bob).patch(`/api/chats/${chat.id}/messages/${bobMsg.id}`, { text: 'bob says hello' }).expect(200);
    await as(ann).patch(`/api/chats/${chat.id}/messages/${annFirst.id}`, { text: 'second version' }).expect(200);
    await as(bob).put(`/api/chats/${chat.id}/messages/${annFirst.id}/reactions/${encodeURIComponent('👍')}`).expect(200);
    await as(bob).post(`/api/chats/${chat.id}/messages/${spoken.id}/listened`).expect(200);
    await as(ann).put(`/api/chats/${chat.id}/pins/${spoken.id}`).expect(200);
    await as(bob).put(`/api/chats/${chat.id}/pins/${annFirst.id}`).expect(200);
    await as(bob).del(`/api/chats/${chat.id}/pins/${bobMsg.id}`).expect(204);
    await as(bob).del(`/api/chats/${chat.id}/messages/${doomed.id}`).expect(200);
    await as(ann).put(`/api/chats/${chat.id}/draft`, { text: 'half a thought', replyToId: bobMsg.id }).expect(200);

    // Back online: the log fills the gap; the chat view brings the draft (drafts are not chat events).
    await phone.catchUp(async (after) => (await as(ann).get(`/api/chats/${chat.id}/events`).query({ after }).expect(200)).body as ChatEventsView);
    const end = await serverState(ann, chat.id);
    expect(phone.lastSeq).toBe(end.lastSeq);
    expect(phone.applied).toEqual(Array.from({ length: end.lastSeq - start.lastSeq }, (_, i) => start.lastSeq + 1 + i));
    expect(phone.duplicates).toBe(0);
    expect([...phone.messages.values()].sort((a, b) => a.seq - b.seq)).toEqual(end.messages);
    expect(phone.pins).toEqual(end.pins);
    expect(end.pins).toEqual([spoken.id, annFirst.id]);
    expect(end.messages.find((m) => m.id === spoken.id)?.listenedBy).toEqual([idOf(bob)]);
    expect(end.messages.filter((m) => m.forwardedFrom).map((m) => m.text)).toEqual(['forward me', 'and me']);
    expect(end.draft).toMatchObject({ text: 'half a thought', replyToId: bobMsg.id });
  });
});
