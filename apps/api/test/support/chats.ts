import { randomUUID } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent.js';
import { CHAT_EVENT_TYPES, offerSeq, type AnyChatEvent, type ChatEventsView, type ChatView, type MessageView } from '@app/contracts';
import { bearer } from './factories.js';
import type { ClientSocket } from './sockets.js';

export async function openChat(http: TestAgent, token: string, userIds: string[], title?: string): Promise<ChatView> {
  const res = await http.post('/api/chats').set(...bearer(token)).send(title === undefined ? { userIds } : { userIds, title });
  if (res.status !== 201 && res.status !== 200) throw new Error(`open chat failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as ChatView;
}

export async function sendMessage(http: TestAgent, token: string, chatId: string, text: string, clientId: string = randomUUID()): Promise<MessageView> {
  const res = await http.post(`/api/chats/${chatId}/messages`).set(...bearer(token)).send({ clientId, text });
  if (res.status !== 201) throw new Error(`send failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as MessageView;
}


/**
 * What a well-behaved client keeps for one chat: events applied strictly in seq order, duplicates
 * dropped, gaps filled from the log. `messages` is the resulting state, `applied` every seq once.
 */
export class ChatReplica {
  lastSeq: number;
  readonly applied: number[] = [];
  readonly messages = new Map<string, MessageView>();
  /** Pinned message ids, most recently pinned last. */
  readonly pins: string[] = [];
  duplicates = 0;
  private syncing: Promise<void> | null = null;
  private readonly pending: AnyChatEvent[] = [];

  constructor(readonly chatId: string, startSeq = 0) {
    this.lastSeq = startSeq;
  }

  /** Listens on a socket; a gap triggers catch-up through `fetchAfter`. */
  attach(socket: ClientSocket, fetchAfter: (after: number) => Promise<ChatEventsView>): void {
    for (const name of CHAT_EVENT_TYPES) {
      socket.on(name, ((e: AnyChatEvent) => {
        if (e.chatId === this.chatId) void this.offer(e, fetchAfter);
      }) as never);
    }
  }

  async offer(e: AnyChatEvent, fetchAfter: (after: number) => Promise<ChatEventsView>): Promise<void> {
    const verdict = offerSeq(this.lastSeq, e.seq);
    if (verdict === 'duplicate') {
      this.duplicates += 1;
      return;
    }
    if (verdict === 'apply' && !this.syncing) {
      this.apply(e);
      return;
    }
    this.pending.push(e);
    await this.catchUp(fetchAfter);
  }

  async catchUp(fetchAfter: (after: number) => Promise<ChatEventsView>): Promise<void> {
    this.syncing ??= (async () => {
      for (;;) {
        const page = await fetchAfter(this.lastSeq);
        if (page.tooLong) throw new Error('replica fell too far behind');
        for (const e of page.events) if (offerSeq(this.lastSeq, e.seq) === 'apply') this.apply(e);
        if (page.events.length === 0 || this.lastSeq >= page.lastSeq) break;
      }
      this.pending.sort((a, b) => a.seq - b.seq);
      for (const e of this.pending.splice(0)) if (offerSeq(this.lastSeq, e.seq) === 'apply') this.apply(e);
    })().finally(() => {
      this.syncing = null;
    });
    await this.syncing;
  }

  private apply(e: AnyChatEvent): void {
    this.lastSeq = e.seq;
    this.applied.push(e.seq);
    if (e.type === 'message:created' || e.type === 'message:updated' || e.type === 'message:deleted') {
      this.messages.set(e.data.id, e.data);
    } else if (e.type === 'reaction:changed') {
      const m = this.messages.get(e.data.messageId);
      if (m) this.messages.set(m.id, { ...m, reactions: e.data.reactions });
    } else if (e.type === 'message:listened') {
      const m = this.messages.get(e.data.messageId);
      if (m && !m.listenedBy.includes(e.data.userId)) this.messages.set(m.id, { ...m, listenedBy: [...m.listenedBy, e.data.userId] });
    } else if (e.type === 'message:preview') {
      const m = this.messages.get(e.data.messageId);
      if (m) this.messages.set(m.id, { ...m, preview: e.data.preview });
    } else if (e.type === 'chat:pinned' || e.type === 'chat:unpinned') {
      const id = e.type === 'chat:pinned' ? e.data.message.id : e.data.messageId;
      const at = this.pins.indexOf(id);
      if (at >= 0) this.pins.splice(at, 1);
      if (e.type === 'chat:pinned') this.pins.push(id);
    }
  }
}
