import type { ChatView, CountersView, Page } from '@app/contracts';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from './support/app.js';
import { openChat, sendMessage } from './support/chats.js';
import { bearer, registerMany, type Registered } from './support/factories.js';
import { idOf } from './support/social.js';

/** Telegram's rule: a muted chat keeps its own unread count, but the total badge leaves it out. */
describe('muted chats and the total badge', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const counters = async (u: Registered): Promise<CountersView> =>
    (await t.http.get('/api/me/counters').set(...bearer(u.token)).expect(200)).body as CountersView;
  const mute = (u: Registered, chatId: string, until: string | null) =>
    t.http.put(`/api/chats/${chatId}/mute`).set(...bearer(u.token)).send({ until }).expect(200);

  it('counts a muted chat in its row but not in the totals, until it is unmuted or the mute ends', async () => {
    const [me, ann, bob] = await registerMany(t.http, 3);
    const loud = await openChat(t.http, ann.token, [idOf(me)]);
    const quiet = await openChat(t.http, bob.token, [idOf(me)]);
    await sendMessage(t.http, ann.token, loud.id, 'one');
    for (const text of ['a', 'b', 'c']) await sendMessage(t.http, bob.token, quiet.id, text);
    expect(await counters(me)).toMatchObject({ unreadChats: 2, unreadMessages: 4 });

    await mute(me, quiet.id, 'forever');
    expect(await counters(me)).toMatchObject({ unreadChats: 1, unreadMessages: 1 });
    const list = (await t.http.get('/api/chats').set(...bearer(me.token)).expect(200)).body as Page<ChatView>;
    expect(list.items.find((c) => c.id === quiet.id)).toMatchObject({ unread: 3, mutedUntil: 'forever' });
    // The others' badges are theirs: my mute changes nothing for Bob.
    await sendMessage(t.http, me.token, quiet.id, 'hi');
    expect(await counters(bob)).toMatchObject({ unreadChats: 1, unreadMessages: 1 });

    await mute(me, quiet.id, null);
    expect(await counters(me)).toMatchObject({ unreadChats: 2, unreadMessages: 4 });

    // A mute that has run out no longer hides the chat. The hour passes by moving the stored end
    // into the past, so the check does not depend on how fast a loaded machine answers.
    await mute(me, quiet.id, new Date(Date.now() + 3_600_000).toISOString());
    expect(await counters(me)).toMatchObject({ unreadChats: 1, unreadMessages: 1 });
    await t.app.get(DataSource).query(
      `UPDATE chat_members SET muted_until = now() - interval '1 second' WHERE chat_id = $1 AND user_id = $2`,
      [quiet.id, idOf(me)],
    );
    expect(await counters(me)).toMatchObject({ unreadChats: 2, unreadMessages: 4 });
  });
});
