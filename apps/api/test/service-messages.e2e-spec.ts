import type { ApiErrorBody, ChatEventsView, ChatView, HistoryView, MessageSearchHit, MessageView, Page, ServiceAction } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, registerMany, type Registered } from './support/factories.js';
import { openChat, sendMessage } from './support/chats.js';
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

const history = async (token: string, chatId: string): Promise<MessageView[]> =>
  ((await t.http.get(`/api/chats/${chatId}/messages`).set(...bearer(token)).expect(200)).body as HistoryView).items;
const chatOf = async (token: string, chatId: string): Promise<ChatView> =>
  (await t.http.get(`/api/chats/${chatId}`).set(...bearer(token)).expect(200)).body as ChatView;
const services = (items: MessageView[]): ServiceAction[] => items.flatMap((m) => (m.service ? [m.service] : []));

describe('service messages', () => {
  let owner: Registered;
  let anna: Registered;
  let boris: Registered;
  let carol: Registered;

  beforeAll(async () => {
    [owner, anna, boris, carol] = await registerMany(t.http, 4);
  });

  const card = (u: Registered) => ({ id: u.auth.user.id, name: u.auth.user.displayName });

  it('starts a group with "created" as its first message, unread for the others and their chat list preview', async () => {
    const group = await openChat(t.http, owner.token, [anna.auth.user.id], 'Book club');
    const [first] = await history(anna.token, group.id);
    expect(first).toMatchObject({ senderId: owner.auth.user.id, text: null, deletedAt: null });
    expect(first.service).toEqual({ type: 'group-created', actor: card(owner), title: 'Book club' });
    expect(group.lastMessage?.id).toBe(first.id);
    expect(group.unread).toBe(0);
    const theirs = await chatOf(anna.token, group.id);
    expect(theirs.lastMessage?.service?.type).toBe('group-created');
    expect(theirs.unread).toBe(1);
  });

  it('records renames, additions, removals, leaving and role changes in order, live and on catch-up', async () => {
    const group = await openChat(t.http, owner.token, [anna.auth.user.id, boris.auth.user.id], 'Team');
    const annaSocket = await connected(t.url, anna.token);
    const start = (await chatOf(anna.token, group.id)).lastSeq;

    const live = waitForEvent(annaSocket, 'message:created', (e) => e.chatId === group.id && e.data.service?.type === 'group-renamed');
    await t.http.patch(`/api/chats/${group.id}`).set(...bearer(owner.token)).send({ title: 'Team Ω' }).expect(200);
    expect((await live).data.service).toEqual({ type: 'group-renamed', actor: card(owner), title: 'Team Ω' });

    await t.http.post(`/api/chats/${group.id}/members`).set(...bearer(owner.token)).send({ userIds: [carol.auth.user.id] }).expect(201);
    await t.http.patch(`/api/chats/${group.id}/members/${anna.auth.user.id}`).set(...bearer(owner.token)).send({ role: 'admin' }).expect(200);
    await t.http.delete(`/api/chats/${group.id}/members/${carol.auth.user.id}`).set(...bearer(anna.token)).expect(204);
    await t.http.post(`/api/chats/${group.id}/leave`).set(...bearer(boris.token)).expect(204);

    const expected: ServiceAction[] = [
      { type: 'group-renamed', actor: card(owner), title: 'Team Ω' },
      { type: 'members-added', actor: card(owner), users: [card(carol)] },
      { type: 'role-changed', actor: card(owner), user: card(anna), role: 'admin' },
      { type: 'member-removed', actor: card(anna), user: card(carol) },
      { type: 'member-left', actor: card(boris) },
    ];
    const items = await history(anna.token, group.id);
    expect(services(items)).toEqual([{ type: 'group-created', actor: card(owner), title: 'Team' }, ...expected]);
    // Each service message is the sender's own: the actor.
    expect(items.filter((m) => m.service).map((m) => m.senderId)).toEqual([owner, owner, owner, owner, anna, boris].map((u) => u.auth.user.id));

    const log = (await t.http.get(`/api/chats/${group.id}/events`).query({ after: start }).set(...bearer(anna.token)).expect(200)).body as ChatEventsView;
    const replayed = log.events.flatMap((e) => (e.type === 'message:created' && e.data.service ? [e.data.service] : []));
    expect(replayed).toEqual(expected);
    const seqs = log.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    const list = (await t.http.get('/api/chats').set(...bearer(anna.token)).expect(200)).body as Page<ChatView>;
    expect(list.items.find((c) => c.id === group.id)?.lastMessage?.service).toEqual({ type: 'member-left', actor: card(boris) });
  });

  it('names the new owner when the owner leaves', async () => {
    const [o, m1] = await registerMany(t.http, 2);
    const g = await openChat(t.http, o.token, [m1.auth.user.id], 'Pass it on');
    await t.http.post(`/api/chats/${g.id}/leave`).set(...bearer(o.token)).expect(204);
    expect(services(await history(m1.token, g.id)).slice(1)).toEqual([
      { type: 'member-left', actor: card(o) },
      { type: 'role-changed', actor: card(o), user: card(m1), role: 'owner' },
    ]);
  });

  it('cannot be edited, deleted, reacted to or quoted, and is not found by search', async () => {
    const group = await openChat(t.http, owner.token, [anna.auth.user.id], 'Frozen words');
    const [created] = await history(owner.token, group.id);
    const base = `/api/chats/${group.id}/messages/${created.id}`;
    const edit = await t.http.patch(base).set(...bearer(owner.token)).send({ text: 'rewritten' }).expect(403);
    expect((edit.body as ApiErrorBody).error.code).toBe('FORBIDDEN');
    await t.http.delete(base).set(...bearer(owner.token)).expect(403);
    await t.http.put(`${base}/reactions/${encodeURIComponent('👍')}`).set(...bearer(anna.token)).expect(403);
    const reply = await t.http.post(`/api/chats/${group.id}/messages`).set(...bearer(anna.token)).send({ clientId: 'reply-to-service', text: 'hm', replyToId: created.id }).expect(400);
    expect((reply.body as ApiErrorBody).error.details?.[0].field).toBe('replyToId');
    await sendMessage(t.http, anna.token, group.id, 'Frozen words indeed');
    const hits = (await t.http.get('/api/messages/search').query({ q: 'frozen', chatId: group.id }).set(...bearer(anna.token)).expect(200)).body as Page<MessageSearchHit>;
    expect(hits.items.map((h) => h.message.text)).toEqual(['Frozen words indeed']);
    expect((await history(owner.token, group.id))[0]).toEqual(created);
  });

  it('leaves dialogs without service messages', async () => {
    const dialog = await openChat(t.http, owner.token, [carol.auth.user.id]);
    expect(dialog.lastMessage).toBeNull();
    expect(await history(carol.token, dialog.id)).toEqual([]);
  });
});
