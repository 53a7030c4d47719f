import type { ChatView, Page, ReadView } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, registerMany } from './support/factories.js';
import { openChat, sendMessage } from './support/chats.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('unread mentions', () => {
  it('counts the unread messages that @mention me, in the chat, the list and after reading', async () => {
    const [anna, boris, carol] = await registerMany(t.http, 3);
    const group = await openChat(t.http, anna.token, [boris.auth.user.id, carol.auth.user.id], 'Mentions');
    await sendMessage(t.http, anna.token, group.id, `hi @${boris.request.username}`);
    const second = await sendMessage(t.http, carol.token, group.id, `@${boris.request.username} and @${anna.request.username}, look`);
    await sendMessage(t.http, anna.token, group.id, 'no mention here');
    const forBoris = (await t.http.get(`/api/chats/${group.id}`).set(...bearer(boris.token)).expect(200)).body as ChatView;
    expect(forBoris).toMatchObject({ unread: 4, unreadMentions: 2 });
    const forAnna = (await t.http.get('/api/chats').set(...bearer(anna.token)).expect(200)).body as Page<ChatView>;
    // The list names the last message's sender, for "Anna: …" previews.
    expect(forAnna.items.find((c) => c.id === group.id)).toMatchObject({ unread: 1, unreadMentions: 1, lastSenderName: anna.auth.user.displayName });
    const read = (await t.http.post(`/api/chats/${group.id}/read`).set(...bearer(boris.token)).send({ seq: second.seq - 1 }).expect(200)).body as ReadView;
    expect(read).toMatchObject({ unread: 2, unreadMentions: 1 });
    const all = (await t.http.post(`/api/chats/${group.id}/read`).set(...bearer(boris.token)).send({ seq: forBoris.lastSeq }).expect(200)).body as ReadView;
    expect(all).toMatchObject({ unread: 0, unreadMentions: 0 });
  });
});
