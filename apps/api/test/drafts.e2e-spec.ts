import { randomUUID } from 'node:crypto';
import type { ChatView, DraftView, Page } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { openChat, sendMessage } from './support/chats.js';
import { closeAllSockets, connected, emitAck, record, sleep, waitForEvent } from './support/sockets.js';
import { MISSING_ID, NOT_FOUND_TEXT } from './support/social.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.listen();
});
afterEach(() => closeAllSockets());
afterAll(() => t.close());

const save = (u: Registered, chatId: string, body: Record<string, unknown>) => t.http.put(`/api/chats/${chatId}/draft`).set(...bearer(u.token)).send(body);

async function chatOf(u: Registered, chatId: string): Promise<ChatView> {
  const list = (await t.http.get('/api/chats').set(...bearer(u.token)).expect(200)).body as Page<ChatView>;
  const found = list.items.find((c) => c.id === chatId);
  if (!found) throw new Error('chat not in the list');
  return found;
}

describe('drafts', () => {
  it('are kept on the server, shown in my chat list only, and reach my other devices live', async () => {
    const [me, peer] = await Promise.all([register(t.http), register(t.http)]);
    const chat = await openChat(t.http, me.token, [peer.auth.user.id]);
    const quoted = await sendMessage(t.http, peer.token, chat.id, 'question?');
    const [tabA, tabB, peerSocket] = await Promise.all([connected(t.url, me.token), connected(t.url, me.token), connected(t.url, peer.token)]);
    const peerHeard = record(peerSocket, 'draft:changed');
    const onB = waitForEvent(tabB, 'draft:changed', (d) => d.chatId === chat.id && d.text === 'half a tho');
    const saved = await emitAck<'draft:save', DraftView>(tabA, 'draft:save', { chatId: chat.id, text: 'half a tho', replyToId: quoted.id });
    expect(saved).toMatchObject({ ok: true, data: { chatId: chat.id, text: 'half a tho', replyToId: quoted.id } });
    expect(await onB).toEqual(saved.ok && saved.data);
    expect((await chatOf(me, chat.id)).draft).toEqual(saved.ok && saved.data);
    expect((await chatOf(peer, chat.id)).draft).toBeNull();
    // REST replaces it; clearing text and reply removes it.
    const viaRest = (await save(me, chat.id, { text: 'half a thought, finished later' }).expect(200)).body as DraftView;
    expect(viaRest).toMatchObject({ text: 'half a thought, finished later', replyToId: null });
    await save(me, chat.id, { text: '   ', replyToId: null }).expect(200);
    expect((await chatOf(me, chat.id)).draft).toBeNull();
    await sleep(200);
    expect(peerHeard).toEqual([]);
  });

  it('are cleared when I send in that chat with clearDraft (REST or socket), and my devices hear it; a send without it leaves the draft', async () => {
    const [me, peer] = await Promise.all([register(t.http), register(t.http)]);
    const chat = await openChat(t.http, me.token, [peer.auth.user.id]);
    const other = await openChat(t.http, me.token, [(await register(t.http)).auth.user.id]);
    await save(me, chat.id, { text: 'about to send' }).expect(200);
    await save(me, other.id, { text: 'elsewhere' }).expect(200);
    const tab = await connected(t.url, me.token);
    const cleared = waitForEvent(tab, 'draft:changed', (d) => d.chatId === chat.id && d.text === '');
    // A send without the flag (a client that held no draft there) does not touch it.
    await sendMessage(t.http, me.token, chat.id, 'a quick one');
    await sleep(300);
    expect((await chatOf(me, chat.id)).draft).toMatchObject({ text: 'about to send' });
    await t.http.post(`/api/chats/${chat.id}/messages`).set(...bearer(me.token)).send({ clientId: randomUUID(), text: 'about to send', clearDraft: true }).expect(201);
    await cleared;
    expect((await chatOf(me, chat.id)).draft).toBeNull();
    expect((await chatOf(me, other.id)).draft).toMatchObject({ text: 'elsewhere' });
    // The other person's send does not touch my draft.
    await save(me, chat.id, { text: 'mine again' }).expect(200);
    await sendMessage(t.http, peer.token, chat.id, 'hello');
    await sleep(300);
    expect((await chatOf(me, chat.id)).draft).toMatchObject({ text: 'mine again' });
    // Over the socket, the same.
    const again = waitForEvent(tab, 'draft:changed', (d) => d.chatId === chat.id && d.text === '');
    const ack = await emitAck(tab, 'message:send', { chatId: chat.id, clientId: randomUUID(), text: 'mine again', clearDraft: true });
    expect(ack.ok).toBe(true);
    await again;
    expect((await chatOf(me, chat.id)).draft).toBeNull();
  });

  it('refuses outsiders like a missing chat, and bad input with 400 naming the field', async () => {
    const [me, peer, outsider] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
    const chat = await openChat(t.http, me.token, [peer.auth.user.id]);
    expect((await save(outsider, chat.id, { text: 'sneak' }).expect(404)).text).toBe(NOT_FOUND_TEXT);
    expect((await save(me, MISSING_ID, { text: 'x' }).expect(404)).text).toBe(NOT_FOUND_TEXT);
    const tooLong = await save(me, chat.id, { text: 'x'.repeat(4001) }).expect(400);
    expect(tooLong.body.error.details[0].field).toBe('text');
    const badReply = await save(me, chat.id, { text: 'x', replyToId: MISSING_ID }).expect(400);
    expect(badReply.body.error.details[0].field).toBe('replyToId');
    expect((await chatOf(me, chat.id)).draft).toBeNull();
  });
});
