import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ErrorCode, MessageView } from '@app/contracts';
import { DomainError } from '../src/common/errors/domain-error.js';
import { MessageSendsRepository, type PlainSend } from '../src/messages/message-sends.repository.js';
import { MessagesService } from '../src/messages/messages.service.js';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, registerMany, type Registered } from './support/factories.js';
import { openChat } from './support/chats.js';
import { files, uploaded } from './support/media.js';
import { block, idOf, MISSING_ID, setPrivacy } from './support/social.js';

/**
 * Who may send where is written three times: in the one-statement plain send, in the batch
 * statement that writes sends piling up together, and in the transactional path that sends with
 * attachments take (and that answers precisely for whatever the statements refused). Every case
 * below runs through all three, and through the plain HTTP send a client makes, and must come out
 * the same in each.
 */

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Outcome = 'stored' | Extract<ErrorCode, 'NOT_FOUND' | 'FORBIDDEN'>;

interface Scene {
  sender: Registered;
  chatId: string;
}

const unblock = async (by: Registered, them: Registered): Promise<void> => {
  await t.http.delete(`/api/blocks/${idOf(them)}`).set(...bearer(by.token)).expect(204);
};

async function dialog(): Promise<Scene & { peer: Registered }> {
  const [sender, peer] = await registerMany(t.http, 2);
  return { sender, peer, chatId: (await openChat(t.http, sender.token, [idOf(peer)])).id };
}

async function group(): Promise<Scene & { owner: Registered; other: Registered }> {
  const [owner, sender, other] = await registerMany(t.http, 3);
  return { owner, sender, other, chatId: (await openChat(t.http, owner.token, [idOf(sender), idOf(other)], 'Rules')).id };
}

const CASES: [string, () => Promise<Scene>, Outcome][] = [
  ['a member of a dialog', dialog, 'stored'],
  ['a member of a group', group, 'stored'],
  ['a third person, outside the dialog', async () => {
    const [{ chatId }, [outsider]] = await Promise.all([dialog(), registerMany(t.http, 1)]);
    return { sender: outsider, chatId };
  }, 'NOT_FOUND'],
  ['someone outside the group', async () => {
    const [{ chatId }, [outsider]] = await Promise.all([group(), registerMany(t.http, 1)]);
    return { sender: outsider, chatId };
  }, 'NOT_FOUND'],
  ['a member who left the group', async () => {
    const g = await group();
    await t.http.post(`/api/chats/${g.chatId}/leave`).set(...bearer(g.sender.token)).expect(204);
    return g;
  }, 'NOT_FOUND'],
  ['a member the owner removed from the group', async () => {
    const g = await group();
    await t.http.delete(`/api/chats/${g.chatId}/members/${idOf(g.sender)}`).set(...bearer(g.owner.token)).expect(204);
    return g;
  }, 'NOT_FOUND'],
  ['a dialog whose sender blocked the peer', async () => {
    const d = await dialog();
    await block(t.http, d.sender, d.peer);
    return d;
  }, 'FORBIDDEN'],
  ['a dialog whose peer blocked the sender', async () => {
    const d = await dialog();
    await block(t.http, d.peer, d.sender);
    return d;
  }, 'FORBIDDEN'],
  ['a dialog blocked and then unblocked', async () => {
    const d = await dialog();
    await block(t.http, d.peer, d.sender);
    await unblock(d.peer, d.sender);
    return d;
  }, 'stored'],
  ['a group with a member who blocked the sender (blocks hold in dialogs only)', async () => {
    const g = await group();
    await block(t.http, g.other, g.sender);
    return g;
  }, 'stored'],
  ['a dialog whose peer has since allowed messages from nobody (privacy decides who may open a dialog)', async () => {
    const d = await dialog();
    await setPrivacy(t.http, d.peer, { message: 'nobody' });
    return d;
  }, 'stored'],
  ['a group everyone else has left', async () => {
    const g = await group();
    await t.http.post(`/api/chats/${g.chatId}/leave`).set(...bearer(g.owner.token)).expect(204);
    await t.http.post(`/api/chats/${g.chatId}/leave`).set(...bearer(g.other.token)).expect(204);
    return g;
  }, 'stored'],
  ['a chat that does not exist', async () => ({ sender: (await registerMany(t.http, 1))[0], chatId: MISSING_ID }), 'NOT_FOUND'],
];

function plain(scene: Scene, text: string): PlainSend {
  const senderId = idOf(scene.sender);
  const view: MessageView = {
    id: randomUUID(), chatId: scene.chatId, seq: 0, senderId, clientId: randomUUID(), text, entities: [], service: null, replyTo: null, forwardedFrom: null,
    mentions: [], reactions: [], attachments: [], preview: null, listenedBy: [], createdAt: new Date().toISOString(), editedAt: null, deletedAt: null,
  };
  return { senderId, view, mentionNames: [] };
}

const codeOf = (e: unknown): string => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`);

describe('who may send where, the same on every send path', () => {
  it('gives each case one outcome through the plain statement, the batch statement, the transactional path and the HTTP send', async () => {
    const sends = t.app.get(MessageSendsRepository);
    const messages = t.app.get(MessagesService);
    const scenes = await Promise.all(CASES.map(([, scene]) => scene()));
    const png = await files.png(40, 30);

    // 1. The one-statement plain send, each on its own.
    const single = await Promise.all(scenes.map((s) => sends.sendOne(plain(s, 'single')).then((v) => v !== null)));

    // 2. The batch statement: every case in one batch, as sends piling up are written.
    const batch = scenes.map((s) => plain(s, 'batch'));
    const storedByBatch = await sends.sendMany(batch);
    const batched = batch.map((s) => storedByBatch.has(s.view.id));

    // 3. The transactional path (a send with a photo takes it).
    const transactional = await Promise.all(scenes.map(async (s) => {
      const media = await uploaded(t.http, s.sender.token, png, 'p.png');
      return messages.send(idOf(s.sender), s.chatId, { clientId: randomUUID(), text: 'with a photo', mediaIds: [media.id] }).then(
        (sent) => (sent.created && sent.message.attachments.length === 1 ? 'stored' : 'not created'),
        codeOf,
      );
    }));

    // 4. What a client gets from a plain send over HTTP (the statement, then the precise answer).
    const http = await Promise.all(scenes.map(async (s) => {
      const res = await t.http.post(`/api/chats/${s.chatId}/messages`).set(...bearer(s.sender.token)).send({ clientId: randomUUID(), text: 'over http' });
      return res.status === 201 ? 'stored' : `${res.status} ${(res.body as { error: { code: string } }).error.code}`;
    }));

    const stored = await Promise.all(scenes.map(async (s) => {
      const [row] = (await t.app.get(DataSource).query(
        'SELECT count(*)::int AS n FROM messages WHERE chat_id = $1 AND sender_id = $2 AND service IS NULL',
        [s.chatId, idOf(s.sender)],
      )) as { n: number }[];
      return row.n;
    }));

    const status = { stored: 'stored', NOT_FOUND: '404 NOT_FOUND', FORBIDDEN: '403 FORBIDDEN' } as const;
    const seen = CASES.map(([name], i) => ({ name, single: single[i], batch: batched[i], transactional: transactional[i], http: http[i], rows: stored[i] }));
    const expected = CASES.map(([name, , outcome]) => ({
      name,
      single: outcome === 'stored',
      batch: outcome === 'stored',
      transactional: outcome,
      http: status[outcome],
      rows: outcome === 'stored' ? 4 : 0,
    }));
    expect(seen).toEqual(expected);
  });
});
