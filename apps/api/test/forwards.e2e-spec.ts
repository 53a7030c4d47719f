import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ChatEventsView, ForwardedView, MessageView } from '@app/contracts';
import { MEDIA_STORAGE, type MediaStorage } from '../src/media/storage/storage.js';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { openChat, sendMessage } from './support/chats.js';
import { files, uploaded } from './support/media.js';
import { closeAllSockets, connected, emitAck, waitForEvent } from './support/sockets.js';
import { befriend, block, idOf, setPrivacy } from './support/social.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.listen();
});
afterEach(() => closeAllSockets());
afterAll(() => t.close());

const forward = (u: Registered, chatId: string, fromChatId: string, messageIds: string[], clientId: string = randomUUID()) =>
  t.http.post(`/api/chats/${chatId}/forward`).set(...bearer(u.token)).send({ clientId, fromChatId, messageIds });

const until = async (check: () => Promise<boolean>): Promise<void> => {
  for (let i = 0; i < 100 && !(await check()); i += 1) await new Promise((r) => setTimeout(r, 50));
  expect(await check()).toBe(true);
};

describe('forwarding messages', () => {
  it('forwards several messages in their order, as the forwarder’s, naming their first sender; members get them live and on catch-up', async () => {
    const [ann, bob, cid] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
    const source = await openChat(t.http, ann.token, [idOf(bob)]);
    const first = await sendMessage(t.http, ann.token, source.id, 'first from Ann');
    const second = await sendMessage(t.http, bob.token, source.id, 'second from Bob');
    const target = await openChat(t.http, bob.token, [idOf(cid)]);
    const cidSocket = await connected(t.url, cid.token);
    const live = waitForEvent(cidSocket, 'message:created', (e) => e.chatId === target.id && e.data.text === 'second from Bob');
    const clientId = randomUUID();
    // Asked in any order, forwarded in the source's order.
    const res = await forward(bob, target.id, source.id, [second.id, first.id], clientId).expect(201);
    const items = (res.body as ForwardedView).items;
    expect(items.map((m) => [m.text, m.senderId, m.forwardedFrom?.userId, m.forwardedFrom?.sentAt])).toEqual([
      ['first from Ann', idOf(bob), idOf(ann), first.createdAt],
      ['second from Bob', idOf(bob), idOf(bob), second.createdAt],
    ]);
    expect(items[0].forwardedFrom?.name).toBe(ann.request.displayName);
    expect(items.map((m) => m.clientId)).toEqual([`${clientId}-0`, `${clientId}-1`]);
    expect((await live).data).toEqual(items[1]);
    // A retry stores nothing new.
    expect(((await forward(bob, target.id, source.id, [second.id, first.id], clientId).expect(201)).body as ForwardedView).items).toEqual(items);
    const events = (await t.http.get(`/api/chats/${target.id}/events`).query({ after: 0 }).set(...bearer(cid.token)).expect(200)).body as ChatEventsView;
    expect(events.events.filter((e) => e.type === 'message:created').map((e) => (e.data as MessageView).id)).toEqual(items.map((m) => m.id));
    // A forward of a forward keeps the first sender.
    const again = (await forward(cid, target.id, target.id, [items[0].id]).expect(201)).body as ForwardedView;
    expect(again.items[0].forwardedFrom).toEqual(items[0].forwardedFrom);
  });

  it('works over the socket with the same answer and refusals', async () => {
    const [ann, bob] = await Promise.all([register(t.http), register(t.http)]);
    const chat = await openChat(t.http, ann.token, [idOf(bob)]);
    const m = await sendMessage(t.http, bob.token, chat.id, 'over the socket');
    const socket = await connected(t.url, ann.token);
    const ack = await emitAck<'message:forward', ForwardedView>(socket, 'message:forward', { chatId: chat.id, clientId: randomUUID(), fromChatId: chat.id, messageIds: [m.id] });
    expect(ack.ok && ack.data.items.map((x) => [x.text, x.senderId, x.forwardedFrom?.userId])).toEqual([['over the socket', idOf(ann), idOf(bob)]]);
    const refused = await emitAck(socket, 'message:forward', { chatId: chat.id, clientId: randomUUID(), fromChatId: chat.id, messageIds: [] });
    expect(!refused.ok && refused.error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses messages of a chat left, one never joined, deleted and service messages; a target chat not mine is 404; nothing is stored', async () => {
    const [owner, ann, bob] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
    const group = await openChat(t.http, owner.token, [idOf(ann)], 'Left behind');
    const kept = await sendMessage(t.http, owner.token, group.id, 'in the group');
    const dialog = await openChat(t.http, ann.token, [idOf(bob)]);
    await t.http.post(`/api/chats/${group.id}/leave`).set(...bearer(ann.token)).expect(204);
    const fromLeft = await forward(ann, dialog.id, group.id, [kept.id]).expect(400);
    expect(fromLeft.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'messageIds', code: 'not_found' }] });
    await forward(bob, dialog.id, group.id, [kept.id]).expect(400);
    const gone = await sendMessage(t.http, ann.token, dialog.id, 'deleted soon');
    await t.http.delete(`/api/chats/${dialog.id}/messages/${gone.id}`).set(...bearer(ann.token)).expect(200);
    await forward(ann, dialog.id, dialog.id, [gone.id]).expect(400);
    const service = (await t.http.get(`/api/chats/${group.id}/messages`).set(...bearer(owner.token)).expect(200)).body.items.find((x: MessageView) => x.service);
    await forward(owner, group.id, group.id, [service.id]).expect(400);
    await forward(owner, dialog.id, group.id, [kept.id]).expect(404);
    await forward(ann, dialog.id, dialog.id, ['not-an-id']).expect(400);
    const rows = (await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM messages WHERE chat_id = $1', [dialog.id])) as { n: number }[];
    expect(rows[0].n).toBe(1);
  });

  it('into a dialog with a block either way is refused 403', async () => {
    const [ann, bob] = await Promise.all([register(t.http), register(t.http)]);
    const dialog = await openChat(t.http, ann.token, [idOf(bob)]);
    const m = await sendMessage(t.http, ann.token, dialog.id, 'before the block');
    await block(t.http, bob, ann);
    expect((await forward(ann, dialog.id, dialog.id, [m.id]).expect(403)).body.error).toMatchObject({ code: 'FORBIDDEN', message: 'You cannot message this person' });
  });

  it('names the first sender only where their privacy.forwards lets every member see it', async () => {
    const [ann, bob, cid] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
    const source = await openChat(t.http, ann.token, [idOf(bob)]);
    const m = await sendMessage(t.http, ann.token, source.id, 'who wrote this?');
    await befriend(t.http, ann, bob);
    const withBob = await openChat(t.http, bob.token, [idOf(ann)]);
    const withCid = await openChat(t.http, bob.token, [idOf(cid)]);
    const trio = await openChat(t.http, bob.token, [idOf(ann), idOf(cid)], 'Trio');
    const origin = async (chatId: string) => ((await forward(bob, chatId, source.id, [m.id]).expect(201)).body as ForwardedView).items[0].forwardedFrom;
    await setPrivacy(t.http, ann, { forwards: 'friends' });
    // Cid is not Ann's friend: not in the dialog with Cid, nor in a group Cid is in.
    expect(await origin(withCid.id)).toEqual({ userId: null, name: null, sentAt: m.createdAt });
    expect((await origin(trio.id))?.userId).toBeNull();
    expect((await origin(withBob.id))?.userId).toBe(idOf(ann));
    await setPrivacy(t.http, ann, { forwards: 'nobody' });
    expect((await origin(withBob.id))?.userId).toBeNull();
    // Ann forwarding her own message always names her.
    const own = (await forward(ann, withBob.id, source.id, [m.id]).expect(201)).body as ForwardedView;
    expect(own.items[0].forwardedFrom?.userId).toBe(idOf(ann));
  });

  it('shares the attachments without copying files: they outlive the original and go with the last message that holds them', async () => {
    const [ann, bob] = await Promise.all([register(t.http), register(t.http)]);
    const chat = await openChat(t.http, ann.token, [idOf(bob)]);
    const photo = await uploaded(t.http, ann.token, await files.png(320, 240), 'photo.png');
    const original = (await t.http.post(`/api/chats/${chat.id}/messages`).set(...bearer(ann.token)).send({ clientId: randomUUID(), text: '', mediaIds: [photo.id] }).expect(201)).body as MessageView;
    const group = await openChat(t.http, bob.token, [idOf(ann)], 'Photos');
    const copy = ((await forward(bob, group.id, chat.id, [original.id]).expect(201)).body as ForwardedView).items[0];
    const shared = copy.attachments[0];
    expect(shared.id).not.toBe(photo.id);
    expect([shared.kind, shared.width, shared.height, shared.size]).toEqual([photo.kind, photo.width, photo.height, photo.size]);
    const db = t.app.get(DataSource);
    const keysOf = async (id: string) => ((await db.query('SELECT files FROM media WHERE id = $1', [id])) as { files: Record<string, { key: string }> }[])[0]?.files;
    const originalKeys = Object.values((await keysOf(photo.id))!).map((f) => f.key);
    expect(Object.values((await keysOf(shared.id))!).map((f) => f.key)).toEqual(originalKeys);
    const storage = t.app.get<MediaStorage>(MEDIA_STORAGE);

    await t.http.delete(`/api/chats/${chat.id}/messages/${original.id}`).set(...bearer(ann.token)).expect(200);
    await until(async () => (await keysOf(photo.id)) === undefined);
    for (const key of originalKeys) expect(await storage.stat(key)).not.toBeNull();
    await t.http.get(shared.urls.original).set(...bearer(ann.token)).expect(200);

    await t.http.delete(`/api/chats/${group.id}/messages/${copy.id}`).set(...bearer(bob.token)).expect(200);
    await until(async () => (await storage.stat(originalKeys[0])) === null);
    for (const key of originalKeys) expect(await storage.stat(key)).toBeNull();
  });
});
