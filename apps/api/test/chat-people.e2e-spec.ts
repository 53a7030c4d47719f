import type { ChatView, MemberView, Page } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { openChat, sendMessage } from './support/chats.js';
import { bearer, registerMany, type Registered } from './support/factories.js';
import { closeAllSockets, connected, record, sleep, waitForEvent, type ClientSocket } from './support/sockets.js';
import { block, idOf, setPrivacy } from './support/social.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.listen();
});
afterEach(() => closeAllSockets());
afterAll(() => t.close());

const users = (n: number): Promise<Registered[]> => registerMany(t.http, n);
const socketOf = (u: Registered): Promise<ClientSocket> => connected(t.url, u.token);
const chatList = async (u: Registered): Promise<ChatView[]> =>
  ((await t.http.get('/api/chats').set(...bearer(u.token)).expect(200)).body as Page<ChatView>).items;

describe('presence reaches whoever may see it', () => {
  it('"everyone": a member of a shared chat who is not a friend hears online and offline live; others do not', async () => {
    const [owner, partner, stranger] = await users(3);
    await openChat(t.http, partner.token, [idOf(owner)]);
    const [sp, ss] = await Promise.all([socketOf(partner), socketOf(stranger)]);
    const strangerHeard = record(ss, 'presence:changed');
    const online = waitForEvent(sp, 'presence:changed', (p) => p.userId === idOf(owner) && p.presence?.online === true);
    const so = await socketOf(owner);
    await online;
    const offline = waitForEvent(sp, 'presence:changed', (p) => p.userId === idOf(owner) && p.presence?.online === false);
    so.disconnect();
    expect(Date.parse((await offline).presence?.lastSeenAt ?? '')).not.toBeNaN();
    await sleep(150);
    expect(strangerHeard.filter((p) => p.userId === idOf(owner))).toEqual([]);
  });

  it('"friends": a group member who is not a friend hears nothing, and hears null when the owner narrows it', async () => {
    const [owner, member] = await users(2);
    await openChat(t.http, owner.token, [idOf(member)], 'Presence group');
    const sm = await socketOf(member);
    const narrowed = waitForEvent(sm, 'presence:changed', (p) => p.userId === idOf(owner));
    await setPrivacy(t.http, owner, { presence: 'friends' });
    expect(await narrowed).toEqual({ userId: idOf(owner), presence: null });
    const heard = record(sm, 'presence:changed');
    const so = await socketOf(owner);
    await sleep(250);
    so.disconnect();
    await sleep(250);
    expect(heard.filter((p) => p.presence !== null)).toEqual([]);
  });

  it('never across a block, even in a shared chat', async () => {
    const [owner, blocked] = await users(2);
    await openChat(t.http, owner.token, [idOf(blocked)], 'Block group');
    await block(t.http, owner, blocked);
    const sb = await socketOf(blocked);
    const heard = record(sb, 'presence:changed');
    await socketOf(owner);
    await sleep(250);
    expect(heard.filter((p) => p.userId === idOf(owner))).toEqual([]);
  });
});

describe('a blocker, as the person they blocked sees them in shared chats', () => {
  it('keeps the name (dialog title, peer, group member) with no avatar, presence or messaging; the profile stays hidden', async () => {
    const [blocker, blocked, third] = await users(3);
    const dialog = await openChat(t.http, blocked.token, [idOf(blocker)]);
    await sendMessage(t.http, blocked.token, dialog.id, 'hi');
    const group = await openChat(t.http, blocker.token, [idOf(blocked), idOf(third)], 'Shared group');
    await block(t.http, blocker, blocked);

    const seen = (await t.http.get(`/api/chats/${dialog.id}`).set(...bearer(blocked.token)).expect(200)).body as ChatView;
    expect(seen.title).toBe(blocker.request.displayName);
    expect(seen.peer).toMatchObject({ id: idOf(blocker), displayName: blocker.request.displayName, avatar: null, presence: null, canMessage: false, bio: null });
    expect((await chatList(blocked)).find((c) => c.id === dialog.id)?.title).toBe(blocker.request.displayName);
    const members = (await t.http.get(`/api/chats/${group.id}/members`).set(...bearer(blocked.token)).expect(200)).body as MemberView[];
    expect(members.find((m) => m.user.id === idOf(blocker))?.user).toMatchObject({ displayName: blocker.request.displayName, avatar: null, presence: null });
    await t.http.get(`/api/users/by-username/${blocker.request.username}`).set(...bearer(blocked.token)).expect(404);

    const refused = await t.http.post(`/api/chats/${dialog.id}/messages`).set(...bearer(blocked.token)).send({ clientId: 'after-block', text: 'still there?' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('You cannot message this person');

    // After unblocking, the full view comes back.
    await t.http.delete(`/api/blocks/${idOf(blocked)}`).set(...bearer(blocker.token)).expect(204);
    const back = (await t.http.get(`/api/chats/${dialog.id}`).set(...bearer(blocked.token)).expect(200)).body as ChatView;
    expect(back.peer).toMatchObject({ displayName: blocker.request.displayName, canMessage: true });
    expect(back.peer?.presence).not.toBeNull();
  });
});

describe('a dialog someone opened without writing', () => {
  it('is in the opener\'s list only; the other person gets it with its first message', async () => {
    const [opener, other] = await users(2);
    const so = await socketOf(other);
    const created = record(so, 'chat:created');
    const dialog = await openChat(t.http, opener.token, [idOf(other)]);
    expect((await chatList(opener)).map((c) => c.id)).toContain(dialog.id);
    await sleep(200);
    expect((await chatList(other)).map((c) => c.id)).not.toContain(dialog.id);
    expect(created).toEqual([]);
    // Their socket is in the room already: the first message reaches them live, and the list has it.
    const first = waitForEvent(so, 'message:created', (e) => e.chatId === dialog.id);
    await sendMessage(t.http, opener.token, dialog.id, 'hello');
    expect((await first).data.text).toBe('hello');
    expect((await chatList(other)).map((c) => c.id)).toContain(dialog.id);
  });
});
