import type { Virtualizer } from '@tanstack/vue-virtual';
import type { ComputedRef, Ref } from 'vue';
import type { MessageView } from '@app/contracts';
import type { Row } from '~/composables/useMessageRows';
import type { useMessagesStore } from '~/stores/messages';
import { firstUnreadSeq } from '~/utils/chat-apply';
import type { OutboxItem } from '~/utils/chat-outbox';

const NEAR_BOTTOM_PX = 120;
const LOAD_OLDER_PX = 400;

interface Inputs {
  chatId: () => string;
  meId: () => string;
  /** My read pointer now (a jump first makes sure the history around it is loaded). */
  lastReadSeq: () => number;
  /** My read pointer when the chat opened: the unread divider stays where it was then. */
  readAtOpen: number;
  scroller: Ref<HTMLElement | null>;
  virtualizer: Ref<Virtualizer<HTMLElement, HTMLElement>>;
  rows: ComputedRef<Row[]>;
  items: ComputedRef<MessageView[]>;
  pending: ComputedRef<OutboxItem[]>;
  messages: ReturnType<typeof useMessagesStore>;
  dividerSeq: Ref<number | null>;
  /** Shown when a jump finds nothing. */
  onMissing: (text: string) => void;
}

/** Waits until the virtualiser has drawn and measured what a scroll asked for. */
function frames(n = 2): Promise<void> {
  return new Promise((resolve) => {
    const step = (left: number): void => (left <= 0 ? resolve() : void requestAnimationFrame(() => step(left - 1)));
    step(n);
  });
}

/** The drawn row at the top of the viewport and where its content sits on screen. */
function topRow(el: HTMLElement): { key: string; top: number } | null {
  const edge = el.getBoundingClientRect().top;
  for (const row of el.querySelectorAll<HTMLElement>('.vrow')) {
    const content = row.querySelector<HTMLElement>('[data-seq]') ?? row;
    const box = content.getBoundingClientRect();
    if (box.bottom > edge && row.dataset.key) return { key: row.dataset.key, top: box.top };
  }
  return null;
}

/**
 * Where a virtualised history is scrolled: the first position (the first unread under its
 * divider, else the bottom), older and newer pages loaded at the edges without moving what is
 * read, following new messages at the bottom, and jumps to one message.
 */
export function useHistoryScroll(i: Inputs) {
  const { scroller, virtualizer, rows, items, pending, messages } = i;
  const win = computed(() => messages.windows[i.chatId()] ?? null);
  const loaded = computed(() => win.value !== null && !win.value.loading && !win.value.error);
  const atBottom = ref(true);
  const highlightId = ref<string | null>(null);
  /** The first positioning is done (the log is busy until then: it still scrolls by itself). */
  const settled = ref(false);
  let positioned = false;
  /** True while a jump (or a page below it) replaces what is shown: following new messages waits. */
  let jumping = false;
  /** True while the first positioning runs (nothing else scrolls meanwhile). */
  let settling = false;

  const indexOfSeq = (seq: number): number => rows.value.findIndex((r) => r.kind === 'msg' && !r.item && r.m.seq === seq);

  async function scrollToBottom(): Promise<void> {
    if (rows.value.length === 0) return;
    virtualizer.value.scrollToIndex(rows.value.length - 1, { align: 'end' });
    await frames();
    const el = scroller.value;
    if (el) el.scrollTop = el.scrollHeight;
  }

  function onScroll(): void {
    const el = scroller.value;
    if (!el) return;
    const fromBottom = el.scrollHeight - el.scrollTop - el.clientHeight;
    atBottom.value = fromBottom < NEAR_BOTTOM_PX && !win.value?.hasNewer;
    if (el.scrollTop < LOAD_OLDER_PX && positioned) void loadOlder();
    if (fromBottom < LOAD_OLDER_PX && positioned && win.value?.hasNewer) void loadNewer();
  }

  /** Runs `replace` (which changes what is shown) with following new messages paused. */
  async function whileJumping(replace: () => Promise<unknown>): Promise<void> {
    jumping = true;
    try {
      await replace();
    } catch {
      // Scrolling again retries.
    } finally {
      await nextTick();
      jumping = false;
    }
  }

  /** In a window opened around an older message: the next page below, appended without moving the view. */
  function loadNewer(): Promise<void> {
    const w = win.value;
    if (!w || !w.hasNewer || w.loading) return Promise.resolve();
    return whileJumping(() => messages.loadNewer(i.chatId()));
  }

  async function loadOlder(): Promise<void> {
    const el = scroller.value;
    const w = win.value;
    if (!el || !w || !w.hasMore || w.loading) return;
    // Keep the same row under the reader's eyes: place it by the virtualiser's offsets, then
    // correct by what the DOM shows once it is drawn (sizes above it are only estimates).
    const anchor = topRow(el);
    const shift = anchor ? anchor.top - el.getBoundingClientRect().top : 0;
    try {
      await messages.loadOlder(i.chatId());
    } catch {
      return;
    }
    await nextTick();
    if (!anchor) return;
    const index = rows.value.findIndex((r) => r.key === anchor.key);
    const start = index >= 0 ? virtualizer.value.getOffsetForIndex(index, 'start')?.[0] : undefined;
    if (start === undefined) return;
    el.scrollTop = start - shift;
    await frames();
    const now = el.querySelector<HTMLElement>(`.vrow[data-key="${CSS.escape(anchor.key)}"]`);
    const content = now?.querySelector<HTMLElement>('[data-seq]') ?? now;
    if (content) el.scrollTop += content.getBoundingClientRect().top - anchor.top;
  }

  /** Scrolls row `index` to `align`, twice: the first pass measures the rows it draws. */
  async function reveal(index: number, align: 'start' | 'center'): Promise<void> {
    virtualizer.value.scrollToIndex(index, { align });
    await frames(3);
    virtualizer.value.scrollToIndex(index, { align });
    await frames();
  }

  /** First show: at the first unread message (under its divider), else at the bottom. */
  async function position(): Promise<void> {
    if (positioned || !loaded.value) return;
    positioned = true;
    settling = true;
    i.dividerSeq.value = firstUnreadSeq(items.value, i.meId(), i.readAtOpen);
    await nextTick();
    const divider = rows.value.findIndex((r) => r.kind === 'unread');
    if (divider >= 0) await reveal(divider, 'start');
    else await scrollToBottom();
    settling = false;
    settled.value = true;
    onScroll();
  }

  watch(loaded, () => void position(), { immediate: true });

  // Follow new messages while at the bottom (and always after my own send).
  watch(
    () => `${items.value.at(-1)?.id ?? ''}|${pending.value.length}`,
    async (_now, before) => {
      if (!positioned || settling || jumping || win.value?.hasNewer) return;
      const pendingBefore = Number((before ?? '|0').split('|')[1]);
      const sentNow = pending.value.length > pendingBefore;
      // Replying means the unread ones were read: the divider has done its job.
      if (sentNow) i.dividerSeq.value = null;
      const follow = atBottom.value || sentNow;
      await nextTick();
      if (follow) await scrollToBottom();
    },
  );

  /** Shows the message with this seq (a quote, a search result), loading the history around it when needed. */
  async function jumpTo(seq: number, missing: string): Promise<void> {
    jumping = true;
    try {
      await messages.ensureLoaded(i.chatId(), i.lastReadSeq()).catch(() => undefined);
      if (!positioned) await position();
      const found = await messages.loadAround(i.chatId(), seq).catch(() => false);
      await nextTick();
      const index = indexOfSeq(seq);
      if (!found || index < 0) {
        i.onMissing(missing);
        return;
      }
      await reveal(index, 'center');
      const row = rows.value[index];
      highlightId.value = row?.kind === 'msg' ? row.m.id : null;
      setTimeout(() => {
        highlightId.value = null;
      }, 1600);
    } finally {
      await nextTick();
      jumping = false;
      onScroll();
    }
  }

  /** The newest messages: back from an older window first, when one is shown. */
  async function toBottom(): Promise<void> {
    if (win.value?.hasNewer) await whileJumping(() => messages.reload(i.chatId()));
    await scrollToBottom();
  }

  return { atBottom, highlightId, settled, onScroll, scrollToBottom, jumpTo, toBottom };
}
