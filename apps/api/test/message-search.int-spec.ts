import type { MessageSearchHit, Page } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register } from './support/factories.js';
import { openChat, sendMessage } from './support/chats.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

it('finds words by prefix across my chats only, newest first, paged', async () => {
  const [a, b, c] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
  const ab = await openChat(t.http, a.token, [b.auth.user.id]);
  const ac = await openChat(t.http, a.token, [c.auth.user.id]);
  const bc = await openChat(t.http, b.token, [c.auth.user.id]);
  await sendMessage(t.http, a.token, ab.id, 'Встреча в пятницу');
  await sendMessage(t.http, c.token, ac.id, 'the quarterly report is ready');
  await sendMessage(t.http, b.token, ab.id, 'report draft attached');
  await sendMessage(t.http, b.token, bc.id, 'secret report between b and c');
  const deleted = await sendMessage(t.http, a.token, ab.id, 'report to delete');
  await t.http.delete(`/api/chats/${ab.id}/messages/${deleted.id}`).set(...bearer(a.token)).expect(200);

  const first = (await t.http.get('/api/messages/search').query({ q: 'REP', limit: 1 }).set(...bearer(a.token)).expect(200)).body as Page<MessageSearchHit>;
  expect(first.items.map((h) => h.message.text)).toEqual(['report draft attached']);
  // A dialog is titled with the other person's name, as in the chat list.
  expect(first.items[0].chatTitle).toBe(b.auth.user.displayName);
  const second = (await t.http.get('/api/messages/search').query({ q: 'rep', cursor: first.nextCursor! }).set(...bearer(a.token)).expect(200)).body as Page<MessageSearchHit>;
  expect(second.items.map((h) => h.message.text)).toEqual(['the quarterly report is ready']);
  expect(second.nextCursor).toBeNull();
  const cyrillic = (await t.http.get('/api/messages/search').query({ q: 'пятн' }).set(...bearer(b.token)).expect(200)).body as Page<MessageSearchHit>;
  expect(cyrillic.items.map((h) => h.message.text)).toEqual(['Встреча в пятницу']);
  const oneChat = (await t.http.get('/api/messages/search').query({ q: 'report', chatId: ac.id }).set(...bearer(a.token)).expect(200)).body as Page<MessageSearchHit>;
  expect(oneChat.items).toHaveLength(1);
});

it('answers a chat I am not in like a missing one, and refuses an empty query', async () => {
  const [a, b, c] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
  const bc = await openChat(t.http, b.token, [c.auth.user.id]);
  const hidden = await t.http.get('/api/messages/search').query({ q: 'x', chatId: bc.id }).set(...bearer(a.token)).expect(404);
  const missing = await t.http.get('/api/messages/search').query({ q: 'x', chatId: '00000000-0000-4000-8000-000000000000' }).set(...bearer(a.token)).expect(404);
  expect(hidden.text).toBe(missing.text);
  await t.http.get('/api/messages/search').query({ q: '!!!' }).set(...bearer(a.token)).expect(400);
  await t.http.get('/api/messages/search').query({ q: 'x', cursor: 'not-a-cursor' }).set(...bearer(a.token)).expect(400);
});
