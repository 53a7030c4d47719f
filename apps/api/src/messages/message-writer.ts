import { Inject, Injectable } from '@nestjs/common';
import type { MessageView } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DomainError } from '../common/errors/domain-error.js';
import { violates } from '../database/sql.js';
import { databaseUnavailableReason } from '../common/errors/dependency-errors.js';
import { MessageSendsRepository, storedView, type PlainSend, type SendRow } from './message-sends.repository.js';

export type { PlainSend } from './message-sends.repository.js';

/** Writes (single sends or batches) at once; more sends wait in the queue and join the next batch. */
const MAX_IN_FLIGHT = 8;
/**
 * Fewer queued sends than this are written one by one: the batch statement costs ~3 ms to plan
 * (its plan depends on the array sizes), which only pays off when shared by many sends.
 */
const MIN_BATCH = 16;
const MAX_BATCH = 200;

interface Queued {
  send: PlainSend;
  resolve: (v: MessageView | null) => void;
  reject: (e: unknown) => void;
}

/**
 * Writes plain sends. At rest every send is written at once on its own (up to MAX_IN_FLIGHT at a
 * time); when sends pile up behind those, they are written together, so the cost of a statement
 * and a commit is shared (group commit). Two sends with the same (sender, client id) never share a batch.
 * Past `rate.sendQueueMax` waiting sends, new ones are refused with a retryable UNAVAILABLE, so an
 * overloaded instance keeps its latency bounded instead of queueing without end (clients send again).
 */
@Injectable()
export class MessageWriter {
  private readonly queue: Queued[] = [];
  private readonly pending = new Map<string, Promise<unknown>>();
  private inFlight = 0;
  private scheduled = false;
  /** Chats with a write in flight: their next sends wait for it. */
  private readonly busyChats = new Set<string>();

  private readonly maxQueued: number;

  constructor(private readonly sends: MessageSendsRepository, @Inject(APP_CONFIG) config: AppConfig) {
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

  /**
   * Writes a batch and settles its sends. A write that failed because the database cannot serve
   * (down, frozen, full) also fails the sends queued behind it at once: each would otherwise wait
   * out its own timeout in turn, one chat write after another, and answer far too late. They were
   * not stored; clients send them again.
   */
  private async settle(batch: Queued[]): Promise<void> {
    const failure = await this.write(batch);
    if (failure !== undefined && databaseUnavailableReason(failure)) {
      for (const q of this.queue.splice(0)) q.reject(failure);
    }
  }

  /** Settles every send of the batch; gives back the error when the write itself failed. */
  private async write(batch: Queued[]): Promise<unknown> {
    if (batch.length === 1) {
      const [q] = batch;
      try {
        q.resolve(await this.writeOne(q.send));
        return undefined;
      } catch (e) {
        q.reject(e);
        return e;
      }
    }
    let stored: Map<string, SendRow>;
    try {
      stored = await this.writeMany(batch.map((q) => q.send));
    } catch (e) {
      // A duplicate committed elsewhere meanwhile spoils the whole batch: write each on its own,
      // one after the other, so that each chat's sends keep their order.
      if (!violates(e, 'messages_sender_client_uq')) {
        for (const q of batch) q.reject(e);
        return e;
      }
      for (const q of batch) await this.writeOne(q.send).then(q.resolve, q.reject);
      return undefined;
    }
    for (const q of batch) {
      const row = stored.get(q.send.view.id);
      q.resolve(row ? storedView(q.send.view, row) : null);
    }
    return undefined;
  }

  private writeOne(send: PlainSend): Promise<MessageView | null> {
    return this.sends.sendOne(send);
  }

  private writeMany(sends: PlainSend[]): Promise<Map<string, SendRow>> {
    return this.sends.sendMany(sends);
  }
}
