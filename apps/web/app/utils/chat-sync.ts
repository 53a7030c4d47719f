import { offerSeq, type AnyChatEvent, type ChatEventsView } from '@app/contracts';

/** What a chat's sequencer needs from the outside world. */
export interface ChatSequencerDeps {
  /** `GET /api/chats/:id/events?after=` (or the `chat:sync` socket event). */
  fetchAfter(after: number): Promise<ChatEventsView>;
  /** Applies one event to the client state; called strictly in seq order, each seq once. */
  apply(event: AnyChatEvent): void;
  /** The log no longer reaches back far enough: refetch the chat and its window; resolves with the new head. */
  reset(): Promise<number>;
  /** A catch-up failed (offline, 404 after removal…); the next offer or resync retries. */
  onError?(err: unknown): void;
}

/** Pages fetched in one catch-up before giving up until the next trigger (500 events a page). */
const MAX_PAGES = 20;
/** Rounds of "fetch, then drain what arrived meanwhile" in one catch-up. */
const MAX_ROUNDS = 4;

/**
 * Per-chat ordering, the client side of the event log (ARCHITECTURE.md, "the two traps").
 * Every live event goes through `offer`: an old seq is a duplicate and dropped, the next seq is
 * applied, a jump parks the event and fetches the gap from the log first. One catch-up runs at a
 * time; events arriving meanwhile wait in `pending` and are drained in order afterwards.
 * The chat's state only ever moves by applying events (or by a full `reset`), so it converges on
 * what a fresh fetch would return.
 */
export class ChatSequencer {
  private pending: AnyChatEvent[] = [];
  private running: Promise<void> | null = null;
  private again = false;
  /** Seqs applied (for tests and diagnostics); bounded. */
  readonly recent: number[] = [];

  constructor(
    public lastSeq: number,
    private readonly deps: ChatSequencerDeps,
  ) {}

  get syncing(): boolean {
    return this.running !== null;
  }

  /** Resolves when no catch-up is running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** A live event for this chat. Returns what happened to it. */
  offer(event: AnyChatEvent): 'applied' | 'duplicate' | 'queued' {
    const verdict = offerSeq(this.lastSeq, event.seq);
    if (verdict === 'duplicate') return 'duplicate';
    if (verdict === 'apply' && !this.running) {
      this.applyOne(event);
      return 'applied';
    }
    if (!this.pending.some((p) => p.seq === event.seq)) this.pending.push(event);
    // While a catch-up runs, what it does not cover is drained (or fetched) when it ends.
    if (!this.running) void this.catchUp();
    return 'queued';
  }

  /**
   * Fetches and applies everything after `lastSeq` (after a reconnect, or when a gap shows). Called
   * while one runs, it runs another round after it, since more may have been committed meanwhile.
   */
  catchUp(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<void> {
    try {
      let rounds = 0;
      do {
        this.again = false;
        rounds += 1;
        await this.fetchAll();
        if (this.drainPending()) this.again = true;
      } while (this.again && rounds < MAX_ROUNDS);
    } catch (err) {
      this.deps.onError?.(err);
    }
  }

  private async fetchAll(): Promise<void> {
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const view = await this.deps.fetchAfter(this.lastSeq);
      if (view.tooLong) {
        const head = await this.deps.reset();
        this.lastSeq = Math.max(this.lastSeq, head);
        return;
      }
      for (const e of view.events) {
        if (offerSeq(this.lastSeq, e.seq) === 'apply') this.applyOne(e);
      }
      if (view.events.length === 0 || this.lastSeq >= view.lastSeq) return;
    }
  }

  /** Applies parked events that now follow on; true when a gap is still left. */
  private drainPending(): boolean {
    this.pending.sort((a, b) => a.seq - b.seq);
    while (this.pending.length > 0) {
      const next = this.pending[0]!;
      const verdict = offerSeq(this.lastSeq, next.seq);
      if (verdict === 'gap') return true;
      this.pending.shift();
      if (verdict === 'apply') this.applyOne(next);
    }
    return false;
  }

  private applyOne(event: AnyChatEvent): void {
    this.lastSeq = event.seq;
    this.recent.push(event.seq);
    if (this.recent.length > 200) this.recent.splice(0, this.recent.length - 200);
    this.deps.apply(event);
  }
}
