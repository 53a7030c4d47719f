import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { MessageView } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DomainError } from '../common/errors/domain-error.js';
import { violates } from '../database/sql.js';

/**
 * The whole of a plain send in one statement, so it costs one round trip and one implicit
 * transaction: bump the chat's seq under its row lock (only for a member, and not in a dialog
 * blocked either way), insert the message with that seq and the mentions of members, and append
 * the `message:created` event. Zero rows back means "not here": the caller finds out why on the
 * slow path. A retry with a used client id fails on `messages_sender_client_uq` and changes nothing.
 * Prepared once per connection (named statement), so PostgreSQL plans it once.
 */
const SEND_SQL = `
  WITH c AS (
    UPDATE chats c SET last_seq = c.last_seq + 1, last_message_at = $8, last_message_id = $1
     WHERE c.id = $2
       AND EXISTS (SELECT 1 FROM chat_members cm WHERE cm.chat_id = c.id AND cm.user_id = $3)
       AND NOT (c.kind = 'direct' AND EXISTS (
         SELECT 1 FROM chat_members p JOIN blocks b
             ON (b.blocker_id = $3 AND b.blocked_id = p.user_id) OR (b.blocker_id = p.user_id AND b.blocked_id = $3)
          WHERE p.chat_id = c.id AND p.user_id <> $3))
    RETURNING c.last_seq, c.kind
  ), m AS (
    INSERT INTO messages (id, chat_id, seq, sender_id, client_id, text, reply_to_id, mentions, created_at)
    SELECT $1, $2, c.last_seq, $3, $4, $5, $6,
           CASE WHEN c.kind = 'group' AND cardinality($7::text[]) > 0 THEN ARRAY(
             SELECT u.id FROM chat_members cm JOIN users u ON u.id = cm.user_id
              WHERE cm.chat_id = $2 AND u.username_key = ANY($7::text[]) ORDER BY u.id)
           ELSE '{}'::uuid[] END,
           $8
      FROM c
    RETURNING seq, mentions
  ), e AS (
    INSERT INTO chat_events (chat_id, seq, type, data, created_at)
    SELECT $2, m.seq, 'message:created',
           jsonb_set(jsonb_set($9::jsonb, '{seq}', to_jsonb(m.seq)), '{mentions}', to_jsonb(m.mentions)), $8
      FROM m
  )
  SELECT m.seq, m.mentions FROM m`;

/**
 * The same for many sends at once (one transaction, one commit): the chats are locked in id order
 * (so concurrent batches cannot deadlock), each allowed send takes the next seq of its chat in
 * arrival order, and a send whose (sender, client id) is already stored is left out like a refused
 * one. Mention names and event data travel as JSON text, one per send.
 */
const SEND_BATCH_SQL = `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::timestamptz[], $9::text[])
      WITH ORDINALITY AS i(id, chat_id, sender_id, client_id, text, reply_to_id, names, created_at, data, ord)
  ), locked AS (
    SELECT c.id, c.kind, c.last_seq FROM chats c WHERE c.id IN (SELECT chat_id FROM input) ORDER BY c.id FOR NO KEY UPDATE
  ), ok AS (
    SELECT i.*, c.kind, c.last_seq + row_number() OVER (PARTITION BY i.chat_id ORDER BY i.ord) AS seq
      FROM input i JOIN locked c ON c.id = i.chat_id
     WHERE EXISTS (SELECT 1 FROM chat_members cm WHERE cm.chat_id = i.chat_id AND cm.user_id = i.sender_id)
       AND NOT (c.kind = 'direct' AND EXISTS (
         SELECT 1 FROM chat_members p JOIN blocks b
             ON (b.blocker_id = i.sender_id AND b.blocked_id = p.user_id) OR (b.blocker_id = p.user_id AND b.blocked_id = i.sender_id)
          WHERE p.chat_id = i.chat_id AND p.user_id <> i.sender_id))
       AND NOT EXISTS (SELECT 1 FROM messages x WHERE x.sender_id = i.sender_id AND x.client_id = i.client_id)
  ), bump AS (
    UPDATE chats c SET last_seq = t.seq, last_message_at = t.created_at, last_message_id = t.id
      FROM (SELECT DISTINCT ON (chat_id) chat_id, seq, created_at, id FROM ok ORDER BY chat_id, seq DESC) t
     WHERE c.id = t.chat_id
  ), m AS (
    INSERT INTO messages (id, chat_id, seq, sender_id, client_id, text, reply_to_id, mentions, created_at)
    SELECT ok.id, ok.chat_id, ok.seq, ok.sender_id, ok.client_id, ok.text, ok.reply_to_id,
           CASE WHEN ok.kind = 'group' AND ok.names <> '[]' THEN ARRAY(
             SELECT u.id FROM chat_members cm JOIN users u ON u.id = cm.user_id
              WHERE cm.chat_id = ok.chat_id AND u.username_key IN (SELECT jsonb_array_elements_text(ok.names::jsonb)) ORDER BY u.id)
           ELSE '{}'::uuid[] END,
           ok.created_at
      FROM ok
    RETURNING id, chat_id, seq, mentions, created_at
  ), e AS (
    INSERT INTO chat_events (chat_id, seq, type, data, created_at)
    SELECT m.chat_id, m.seq, 'message:created',
           jsonb_set(jsonb_set(ok.data::jsonb, '{seq}', to_jsonb(m.seq)), '{mentions}', to_jsonb(m.mentions)), m.created_at
      FROM m JOIN ok ON ok.id = m.id
  )
  SELECT id, seq, mentions FROM m`;

/** Writes (single sends or batches) at once; more sends wait in the queue and join the next batch. */
const MAX_IN_FLIGHT = 8;
/**
 * Fewer queued sends than this are written one by one: the batch statement costs ~3 ms to plan
 * (its plan depends on the array sizes), which only pays off when shared by many sends.
 */
const MIN_BATCH = 16;
const MAX_BATCH = 200;

export interface PlainSend {
  senderId: string;
  /** The view as it will be stored, except `seq` and `mentions`, which the statement decides. */
  view: MessageView;
  /** Lower-cased @names found in the text; resolved to member ids in groups only. */
  mentionNames: string[];
}

interface Queued {
  send: PlainSend;
  resolve: (v: MessageView | null) => void;
  reject: (e: unknown) => void;
}

interface Row {
  id: string;
  seq: string;
  mentions: string[];
}


/** The view as stored: what the statement decided (seq, mentions) over what was sent. */
const storedView = (view: MessageView, row: Row): MessageView => ({ ...view, seq: Number(row.seq), mentions: row.mentions });

/**
 * Writes plain sends. At rest every send is written at once on its own (up to MAX_IN_FLIGHT at a
 * time); when sends pile up behind those, they are written together, so the cost of a statement
 * and a commit is shared (group commit). Two sends with the same (sender, client id) never share a batch.
 * Past `rate.sendQueueMax` waiting sends, new ones are refused with a retryable UNAVAILABLE, so an
 * overloaded instance keeps its latency bounded instead of queueing without end (clients send again).
 */
@Injectable()
export class MessageWriter {
  private readonly pool: Pool;
  private readonly queue: Queued[] = [];
  private readonly pending = new Map<string, Promise<unknown>>();
  private inFlight = 0;
  private scheduled = false;
  /** Chats with a write in flight: their next sends wait for it. */
  private readonly busyChats = new Set<string>();

  private readonly maxQueued: number;

  constructor(@InjectDataSource() db: DataSource, @Inject(APP_CONFIG) config: AppConfig) {
    this.pool = (db.driver as unknown as { master: Pool }).master;
    this.maxQueued = config.rate.sendQueueMax;
  }

  /** The stored view, or null when it was not stored: not allowed there (unknown chat, not a member, blocked) or already stored. */
  sendPlain(send: PlainSend): Promise<MessageView | null> {
    if (this.queue.length >= this.maxQueued) {
      return Promise.reject(new DomainError('UNAVAILABLE', 'The server is busy; the message was not sent, try again shortly', undefined, 1000));
    }
    const key = `${send.senderId} ${send.view.clientId}`;
    const earlier = this.pending.get(key);
    if (earlier) {
      // A concurrent duplicate goes alone once the first is settled, and then meets the stored row.
      const alone = (): Promise<MessageView | null> => this.writeOne(send);
      return earlier.then(alone, alone);
    }
    const written = new Promise<MessageView | null>((resolve, reject) => {
      this.queue.push({ send, resolve, reject });
      this.schedule();
    });
    this.pending.set(key, written);
    const forget = (): void => void this.pending.delete(key);
    written.then(forget, forget);
    return written;
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= MAX_IN_FLIGHT || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.inFlight < MAX_IN_FLIGHT) {
        const batch = this.takeReady();
        if (batch.length === 0) return;
        const chats = [...new Set(batch.map((q) => q.send.view.chatId))];
        for (const c of chats) this.busyChats.add(c);
        this.inFlight += 1;
        void this.settle(batch).finally(() => {
          for (const c of chats) this.busyChats.delete(c);
          this.inFlight -= 1;
          this.schedule();
        });
      }
    });
  }

  /**
   * The next write: the oldest queued send (or, with MIN_BATCH or more queued, up to MAX_BATCH of
   * them in arrival order) of chats with no write in flight. A chat's sends are therefore stored
   * in the order they arrived here, however many writes run at once.
   */
  private takeReady(): Queued[] {
    const limit = this.queue.length < MIN_BATCH ? 1 : MAX_BATCH;
    const taken: Queued[] = [];
    const left: Queued[] = [];
    for (const q of this.queue) {
      if (taken.length < limit && !this.busyChats.has(q.send.view.chatId)) taken.push(q);
      else left.push(q);
    }
    if (taken.length > 0) this.queue.splice(0, this.queue.length, ...left);
    return taken;
  }

  private async settle(batch: Queued[]): Promise<void> {
    if (batch.length === 1) {
      const [q] = batch;
      await this.writeOne(q.send).then(q.resolve, q.reject);
      return;
    }
    let stored: Map<string, Row>;
    try {
      stored = await this.writeMany(batch.map((q) => q.send));
    } catch (e) {
      // A duplicate committed elsewhere meanwhile spoils the whole batch: write each on its own,
      // one after the other, so that each chat's sends keep their order.
      if (!violates(e, 'messages_sender_client_uq')) {
        for (const q of batch) q.reject(e);
        return;
      }
      for (const q of batch) await this.writeOne(q.send).then(q.resolve, q.reject);
      return;
    }
    for (const q of batch) {
      const row = stored.get(q.send.view.id);
      q.resolve(row ? storedView(q.send.view, row) : null);
    }
  }

  private async writeOne(send: PlainSend): Promise<MessageView | null> {
    const { view } = send;
    const res = await this.pool.query<Row>({
      name: 'messages.send-plain',
      text: SEND_SQL,
      values: [
        view.id, view.chatId, send.senderId, view.clientId, view.text, view.replyTo?.id ?? null,
        send.mentionNames, new Date(view.createdAt), JSON.stringify(view),
      ],
    });
    const row = res.rows[0];
    return row ? storedView(view, row) : null;
  }

  private async writeMany(sends: PlainSend[]): Promise<Map<string, Row>> {
    const res = await this.pool.query<Row>({
      name: 'messages.send-batch',
      text: SEND_BATCH_SQL,
      values: [
        sends.map((s) => s.view.id), sends.map((s) => s.view.chatId), sends.map((s) => s.senderId),
        sends.map((s) => s.view.clientId), sends.map((s) => s.view.text), sends.map((s) => s.view.replyTo?.id ?? null),
        sends.map((s) => JSON.stringify(s.mentionNames)), sends.map((s) => new Date(s.view.createdAt)), sends.map((s) => JSON.stringify(s.view)),
      ],
    });
    return new Map(res.rows.map((r) => [r.id, r]));
  }
}
