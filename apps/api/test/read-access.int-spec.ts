import { randomUUID } from 'node:crypto';
import type { MessageView } from '@app/contracts';
import { ChatAccessService } from '../src/chats/chat-access.service.js';
import { DomainError } from '../src/common/errors/domain-error.js';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, registerMany, type Registered } from './support/factories.js';
import { openChat } from './support/chats.js';
import { files, uploaded } from './support/media.js';
import { idOf, MISSING_ID } from './support/social.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/**
 * Every read of a chat's contents goes through one membership check (requireMember): history,
 * catch-up, search in a chat, the gallery, the chat's media files and the member's wallpaper. A
 * chat the caller is not in, or has left, answers byte for byte like a chat that does not exist.
 */
describe('one membership check for the read paths', () => {
  let owner: Registered;
  let member: Registered;
  let leaver: Registered;
  let stranger: Registered;
  let chatId: string;
  let photo: MessageView;

  beforeAll(async () => {
    [owner, member, leaver, stranger] = await registerMany(t.http, 4);
    chatId = (await openChat(t.http, owner.token, [idOf(member), idOf(leaver)], 'Readers')).id;
    const media = await uploaded(t.http, owner.token, await files.png(40, 30), 'p.png');
    photo = (await t.http.post(`/api/chats/${chatId}/messages`).set(...bearer(owner.token))
      .send({ clientId: randomUUID(), text: 'findable words', mediaIds: [media.id] }).expect(201)).body as MessageView;
    await t.http.post(`/api/chats/${chatId}/leave`).set(...bearer(leaver.token)).expect(204);
  });

  /** Each read path, as a URL for a chat id (the media file: for this chat's photo, or a missing one). */
  const reads: [string, (chat: string) => string][] = [
    ['history', (c) => `/api/chats/${c}/messages`],
    ['catch-up', (c) => `/api/chats/${c}/events?after=0`],
    ['search in a chat', (c) => `/api/messages/search?q=findable&chatId=${c}`],
    ['gallery', (c) => `/api/chats/${c}/media`],
    ['wallpaper', (c) => `/api/chats/${c}/wallpaper`],
    ['media file', (c) => `/api/media/${c === chatId ? photo.attachments[0].id : MISSING_ID}/original`],
  ];

  it.each(reads)('%s: members read, outsiders and former members get the missing chat answer', async (_name, url) => {
    expect((await t.http.get(url(chatId)).set(...bearer(member.token))).status).toBe(200);
    const missing = await t.http.get(url(MISSING_ID)).set(...bearer(member.token));
    expect(missing.status).toBe(404);
    for (const caller of [stranger, leaver]) {
      const hidden = await t.http.get(url(chatId)).set(...bearer(caller.token));
      expect([hidden.status, hidden.text]).toEqual([404, missing.text]);
    }
  });

  it('requireMember: the membership for a member; NOT_FOUND alike for outsiders, former members, missing and malformed ids', async () => {
    const access = t.app.get(ChatAccessService);
    // After the photo: the leaver's removal and its "left the group" service message.
    await expect(access.requireMember(idOf(member), chatId)).resolves.toEqual({ chatId, kind: 'group', role: 'member', joinedSeq: 0, lastSeq: photo.seq + 2 });
    for (const [userId, id] of [[idOf(stranger), chatId], [idOf(leaver), chatId], [idOf(member), MISSING_ID], [idOf(member), 'not-a-chat']]) {
      const refused = await access.requireMember(userId, id).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DomainError);
      expect(refused).toMatchObject({ code: 'NOT_FOUND', message: DomainError.notFound().message });
    }
  });
});
