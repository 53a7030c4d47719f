import type { ApiErrorBody, ChatView, MemberView } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { befriend, block, idOf, profileAs, setPrivacy } from './support/social.js';
import { openChat } from './support/chats.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const REFUSED: ApiErrorBody = {
  error: { code: 'VALIDATION_FAILED', message: 'Invalid input', details: [{ field: 'userIds', code: 'not_allowed', message: 'Some of these people cannot be added' }] },
};

/** Creating a group with `others`; the HTTP status and body. */
async function createGroup(by: Registered, others: Registered[]): Promise<{ status: number; body: unknown }> {
  const res = await t.http.post('/api/chats').set(...bearer(by.token)).send({ title: 'Team', userIds: others.map(idOf) });
  return { status: res.status, body: res.body };
}

async function addTo(chat: ChatView, by: Registered, who: Registered): Promise<{ status: number; body: unknown }> {
  const res = await t.http.post(`/api/chats/${chat.id}/members`).set(...bearer(by.token)).send({ userIds: [idOf(who)] });
  return { status: res.status, body: res.body };
}

describe('who may add me to groups', () => {
  it('is everyone by default and is part of my privacy settings', async () => {
    const me = await register(t.http);
    const mine = await t.http.get('/api/users/me').set(...bearer(me.token)).expect(200);
    expect(mine.body.privacy.groupAdd).toBe('everyone');
    await setPrivacy(t.http, me, { groupAdd: 'friends' });
    expect((await t.http.get('/api/users/me').set(...bearer(me.token))).body.privacy.groupAdd).toBe('friends');
    const bad = await t.http.patch('/api/users/me/privacy').set(...bearer(me.token)).send({ groupAdd: 'strangers' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('groupAdd');
  });

  it('"nobody": nobody can put me into a new group or an existing one, friends included', async () => {
    const [owner, friend, stranger] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
    await befriend(t.http, owner, friend);
    await setPrivacy(t.http, owner, { groupAdd: 'nobody' });
    expect(await createGroup(friend, [owner])).toEqual({ status: 400, body: REFUSED });
    expect(await createGroup(stranger, [owner, friend])).toEqual({ status: 400, body: REFUSED });
    const group = await openChat(t.http, friend.token, [stranger.auth.user.id], 'Later');
    expect(await addTo(group, friend, owner)).toEqual({ status: 400, body: REFUSED });
    expect((await profileAs(t.http, friend, owner)).canAddToGroup).toBe(false);
    // Nothing was stored: the refused group does not exist for anyone.
    const list = await t.http.get('/api/chats').set(...bearer(owner.token)).expect(200);
    expect(list.body.items).toEqual([]);
  });

  it('"friends": friends may, strangers may not, and the refusal looks like any other privacy refusal', async () => {
    const [owner, friend, stranger] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
    await befriend(t.http, owner, friend);
    await setPrivacy(t.http, owner, { groupAdd: 'friends', message: 'everyone' });
    expect((await profileAs(t.http, stranger, owner)).canAddToGroup).toBe(false);
    expect((await profileAs(t.http, stranger, owner)).canMessage).toBe(true);
    expect((await profileAs(t.http, friend, owner)).canAddToGroup).toBe(true);
    expect(await createGroup(stranger, [owner])).toEqual({ status: 400, body: REFUSED });
    const made = await createGroup(friend, [owner, stranger]);
    expect(made.status).toBe(201);
    const strangersGroup = await openChat(t.http, stranger.token, [friend.auth.user.id], 'Stranger’s');
    expect(await addTo(strangersGroup, stranger, owner)).toEqual({ status: 400, body: REFUSED });
    const friendsGroup = await openChat(t.http, friend.token, [stranger.auth.user.id], 'Friend’s');
    const added = await addTo(friendsGroup, friend, owner);
    expect(added.status).toBe(201);
    expect((added.body as MemberView[]).map((m) => m.user.id)).toEqual([idOf(owner)]);
  });

  it('applies even when messages are closed: adding to groups is its own setting, and blocks stop it either way', async () => {
    const [owner, friend, blocker] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
    await befriend(t.http, owner, friend);
    await setPrivacy(t.http, owner, { message: 'nobody', groupAdd: 'everyone' });
    expect((await createGroup(friend, [owner])).status).toBe(201);
    await block(t.http, owner, blocker);
    expect(await createGroup(blocker, [owner])).toEqual({ status: 400, body: REFUSED });
  });
});
