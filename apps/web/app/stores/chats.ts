import type {
  AnyChatEvent,
  ChatEventsView,
  ChatView,
  CountersView,
  MemberRole,
  MemberView,
  Page,
  ReadView,
  TypingPayload,
} from '@app/contracts';
import { CHAT_EVENT_TYPES } from '@app/contracts';
import { createApiClient } from '~/composables/useApi';
import { useCountersStore } from '~/stores/counters';
import { useGalleryStore } from '~/stores/gallery';
import { useMessagesStore } from '~/stores/messages';
import { useOutboxStore } from '~/stores/outbox';
import { usePresenceStore } from '~/stores/presence';
import { useSessionStore } from '~/stores/session';
import { toApiRequestError } from '~/utils/api-error';
import { applyEventToChat, applyEventToMembers, chatDisplayTitle } from '~/utils/chat-apply';
import { badgeCounters, sortChatIds, unreadTotals, type UnreadCounters } from '~/utils/chat-list';
import { ChatSequencer } from '~/utils/chat-sync';


const PAGE = 30;
/** A "typing…" shows this long after the last signal. */
const TYPING_TTL_MS = 6000;
/** I tell others I am typing at most this often per chat. */
const TYPING_THROTTLE_MS = 3000;
/** Catch-ups run in parallel after a reconnect. */
const CATCH_UP_CONCURRENCY = 4;

const isNotFound = (err: unknown): boolean => toApiRequestError(err).status === 404;

/**
 * The chat list and everything per chat that is not a message: views (preview, unread, read
 * pointers, titles), members, typing. Every chat-room event goes through the chat's
 * ChatSequencer, which applies it here and in the messages store, strictly in seq order.
 */
export const useChatsStore = defineStore('chats', () => {
  const nuxtApp = useNuxtApp();
  const session = useSessionStore();
  const messages = useMessagesStore();
  const counters = useCountersStore();
  const presence = usePresenceStore();
  const realtime = useRealtime();
  const api = () => createApiClient(nuxtApp);

  const byId = ref<Record<string, ChatView>>({});
  const nextCursor = ref<string | null>(null);
  const listLoaded = ref(false);
  const loadingMore = ref(false);
  const listError = ref<string | null>(null);
  /** chatId → userId → until when "typing…" shows (epoch ms). */
  const typing = ref<Record<string, Record<string, number>>>({});
  /** Loaded member lists (groups: "seen by", mentions, management). */
  const members = ref<Record<string, MemberView[]>>({});
  /** The server's unread totals when fetched, and the local totals at that moment. */
  const serverUnread = ref<{ totals: UnreadCounters; localAtFetch: UnreadCounters } | null>(null);

  const meId = computed(() => session.me?.id ?? '');
  const list = computed(() => sortChatIds(byId.value).map((id) => byId.value[id]!));
  const localTotals = computed(() => unreadTotals(Object.values(byId.value)));
  const badge = computed(() => badgeCounters(localTotals.value, listLoaded.value && nextCursor.value === null, serverUnread.value));

  // Not state: this tab's machinery.
  const sequencers = new Map<string, ChatSequencer>();
  const adopting = new Map<string, Promise<boolean>>();
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const typingSentAt = new Map<string, number>();
  /** Read pointers not yet confirmed by the server (sent again after a reconnect). */
  const unsentReads = new Map<string, number>();
  let attached = false;

  if (import.meta.client) watch(badge, (b) => counters.set(b), { immediate: true });

  // ---- sequencing -------------------------------------------------------------------------

  function sequencerOf(chatId: string): ChatSequencer {
    let seq = sequencers.get(chatId);
    if (!seq) {
      seq = new ChatSequencer(byId.value[chatId]?.lastSeq ?? 0, {
        fetchAfter: async (after) => api().get<ChatEventsView>(`/chats/${chatId}/events`, { after }),
        apply: applyEvent,
        reset: () => resetChat(chatId),
        onError: (err) => {
          if (isNotFound(err)) removeChat(chatId);
        },
      });
      sequencers.set(chatId, seq);
    }
    return seq;
  }

  /** The log cannot fill the gap: take a fresh view and window. */
  async function resetChat(chatId: string): Promise<number> {
    const fresh = await api().get<ChatView>(`/chats/${chatId}`);
    byId.value[chatId] = fresh;
    await messages.reload(chatId);
    if (members.value[chatId]) await loadMembers(chatId);
    return fresh.lastSeq;
  }

  function applyEvent(e: AnyChatEvent): void {
    const chat = byId.value[e.chatId];
    if (!chat) return;
    if (e.type === 'chat:member-removed' && e.data.userId === meId.value) {
      removeChat(e.chatId);
      return;
    }
    const result = applyEventToChat(chat, e, meId.value);
    messages.applyEvent(e);
    const mem = members.value[e.chatId];
    if (mem) members.value[e.chatId] = applyEventToMembers(mem, e);
    if (e.type === 'message:created') {
      clearTyping(e.chatId, e.data.senderId);
      // An open gallery (or the viewer's list) reloads with the new files.
      if (e.data.attachments.length > 0) useGalleryStore().invalidate(e.chatId);
      if (e.data.senderId === meId.value) useOutboxStore().delivered(e.data);
    }
    if (result.unreadUnknown) {
      const n = messages.unreadOf(e.chatId, meId.value, result.chat.lastReadSeq);
      if (n !== null) result.chat.unread = n;
      else void refreshUnread(e.chatId);
    }
    byId.value[e.chatId] = result.chat;
  }

  /** A live chat-room event. A chat I do not hold yet (new, or beyond the loaded pages) is fetched first. */
  function offer(e: AnyChatEvent): void {
    if (byId.value[e.chatId]) {
      sequencerOf(e.chatId).offer(e);
      return;
    }
    void adopt(e.chatId).then((ok) => {
      if (ok) sequencerOf(e.chatId).offer(e);
    });
  }

  /** Fetches and inserts a chat this client does not hold; false when it is not mine (404). */
  function adopt(chatId: string): Promise<boolean> {
    if (byId.value[chatId]) return Promise.resolve(true);
    let running = adopting.get(chatId);
    if (!running) {
      running = api()
        .get<ChatView>(`/chats/${chatId}`)
        .then((c) => {
          if (!byId.value[c.id]) insert(c);
          return true;
        })
        .catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
          return false;
        })
        .finally(() => adopting.delete(chatId));
      adopting.set(chatId, running);
    }
    return running;
  }

  function insert(chat: ChatView): void {
    sequencers.delete(chat.id);
    byId.value[chat.id] = chat;
    if (chat.peer) presence.seed([chat.peer]);
  }

  /**
   * A full view from the server (list refetch, chat:created/updated). Taken whole only when it is
   * at exactly the seq this client has applied; otherwise only what events do not carry (my name
   * for the chat, the peer's profile) is taken, and a catch-up brings the rest in order.
   */
  function mergeSnapshot(fresh: ChatView): void {
    const cur = byId.value[fresh.id];
    if (!cur) {
      insert(fresh);
      return;
    }
    const seq = sequencers.get(fresh.id);
    const applied = seq?.lastSeq ?? cur.lastSeq;
    if (fresh.peer) presence.seed([fresh.peer]);
    if (fresh.lastSeq === applied && !seq?.syncing) {
      const keepRead = cur.lastReadSeq > fresh.lastReadSeq;
      byId.value[fresh.id] = {
        ...fresh,
        lastReadSeq: keepRead ? cur.lastReadSeq : fresh.lastReadSeq,
        unread: keepRead ? cur.unread : fresh.unread,
      };
      return;
    }
    const next = { ...cur, customName: fresh.customName, peer: fresh.peer ?? cur.peer };
    byId.value[fresh.id] = { ...next, title: chatDisplayTitle(next) };
    if (fresh.lastSeq > applied) void sequencerOf(fresh.id).catchUp();
  }

  /** The server's exact unread count, taken when it is at the seq this client has applied. */
  async function refreshUnread(chatId: string): Promise<void> {
    try {
      const fresh = await api().get<ChatView>(`/chats/${chatId}`);
      const cur = byId.value[chatId];
      if (cur && fresh.lastSeq === sequencerOf(chatId).lastSeq && fresh.lastReadSeq >= cur.lastReadSeq) {
        byId.value[chatId] = { ...cur, unread: fresh.unread };
      }
    } catch {
      // The next resync corrects it.
    }
  }

  function removeChat(chatId: string): void {
    delete byId.value[chatId];
    delete members.value[chatId];
    delete typing.value[chatId];
    sequencers.delete(chatId);
    unsentReads.delete(chatId);
    messages.drop(chatId);
  }

  // ---- the list ---------------------------------------------------------------------------

  /** The first page (SSR and after every reconnect), merged into what is held. */
  async function loadFirstPage(): Promise<void> {
    try {
      const page = await api().get<Page<ChatView>>('/chats', { limit: PAGE });
      for (const c of page.items) mergeSnapshot(c);
      if (!listLoaded.value || Object.keys(byId.value).length <= PAGE) nextCursor.value = page.nextCursor;
      listLoaded.value = true;
      listError.value = null;
      if (import.meta.server) counters.set(badge.value);
    } catch (err) {
      listError.value = toApiRequestError(err).code;
      if (import.meta.server) return;
      throw err;
    }
  }

  async function loadMore(): Promise<void> {
    if (!nextCursor.value || loadingMore.value) return;
    loadingMore.value = true;
    try {
      const page = await api().get<Page<ChatView>>('/chats', { limit: PAGE, cursor: nextCursor.value });
      for (const c of page.items) mergeSnapshot(c);
      nextCursor.value = page.nextCursor;
    } finally {
      loadingMore.value = false;
    }
  }

  async function fetchCounters(): Promise<void> {
    try {
      const view = await api().get<CountersView>('/me/counters');
      if (view.unreadChats !== undefined && view.unreadMessages !== undefined) {
        serverUnread.value = { totals: { unreadChats: view.unreadChats, unreadMessages: view.unreadMessages }, localAtFetch: localTotals.value };
      }
    } catch {
      // Derived from the list instead.
    }
  }

  async function runLimited(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
    const queue = [...tasks];
    await Promise.all(
      Array.from({ length: Math.min(limit, queue.length) }, async () => {
        for (let task = queue.shift(); task; task = queue.shift()) await task().catch(() => undefined);
      }),
    );
  }

  /**
   * After every (re)connect and `resync` hint: a fresh first page and counters; every chat held
   * catches up from its own seq (those the fresh page shows unchanged need nothing).
   */
  async function resync(): Promise<void> {
    if (!session.isSignedIn) return;
    const before = new Map(Object.values(byId.value).map((c) => [c.id, sequencers.get(c.id)?.lastSeq ?? c.lastSeq]));
    let page: ChatView[] = [];
    try {
      const [first] = await Promise.all([api().get<Page<ChatView>>('/chats', { limit: PAGE }), fetchCounters()]);
      page = first.items;
      for (const c of page) mergeSnapshot(c);
      if (!listLoaded.value || Object.keys(byId.value).length <= PAGE) nextCursor.value = first.nextCursor;
      listLoaded.value = true;
      listError.value = null;
    } catch (err) {
      listError.value = toApiRequestError(err).code;
    }
    messages.retryFailed((id) => byId.value[id]?.lastReadSeq ?? 0);
    const seen = new Set(page.map((c) => c.id));
    const stale = [...before.keys()].filter((id) => !seen.has(id) && byId.value[id]);
    await runLimited(stale.map((id) => () => sequencerOf(id).catchUp()), CATCH_UP_CONCURRENCY);
    for (const [chatId, seq] of unsentReads) void markRead(chatId, seq, true);
  }

  // ---- typing -----------------------------------------------------------------------------

  function clearTyping(chatId: string, userId: string): void {
    const key = `${chatId}:${userId}`;
    const timer = typingTimers.get(key);
    if (timer) clearTimeout(timer);
    typingTimers.delete(key);
    const forChat = typing.value[chatId];
    if (forChat && userId in forChat) {
      const { [userId]: _gone, ...rest } = forChat;
      typing.value[chatId] = rest;
    }
  }

  function onTyping(p: TypingPayload): void {
    if (p.userId === meId.value || !byId.value[p.chatId]) return;
    const key = `${p.chatId}:${p.userId}`;
    const old = typingTimers.get(key);
    if (old) clearTimeout(old);
    typing.value[p.chatId] = { ...typing.value[p.chatId], [p.userId]: Date.now() + TYPING_TTL_MS };
    typingTimers.set(key, setTimeout(() => clearTyping(p.chatId, p.userId), TYPING_TTL_MS));
  }

  function typingIn(chatId: string): string[] {
    return Object.keys(typing.value[chatId] ?? {});
  }

  /** Tells the others I am typing (throttled; best effort). */
  function sendTyping(chatId: string): void {
    const now = Date.now();
    if (now - (typingSentAt.get(chatId) ?? 0) < TYPING_THROTTLE_MS || realtime.status.value !== 'online') return;
    typingSentAt.set(chatId, now);
    realtime.emitAck('chat:typing', { chatId }).catch(() => undefined);
  }

  /** After sending, the next keystroke announces typing again at once. */
  function typingDone(chatId: string): void {
    typingSentAt.delete(chatId);
  }

  // ---- reading ----------------------------------------------------------------------------

  /** Everything up to `seq` has been seen: moves my pointer now, then tells the server. */
  async function markRead(chatId: string, seq: number, retry = false): Promise<void> {
    const chat = byId.value[chatId];
    if (!chat) return;
    if (seq <= chat.lastReadSeq && !retry) return;
    if (seq > chat.lastReadSeq) {
      const exact = messages.unreadOf(chatId, meId.value, seq);
      const unread = exact ?? (!chat.lastMessage || chat.lastMessage.seq <= seq ? 0 : chat.unread);
      byId.value[chatId] = { ...chat, lastReadSeq: seq, unread };
    }
    unsentReads.set(chatId, Math.max(seq, unsentReads.get(chatId) ?? 0));
    try {
      let view: ReadView;
      const reply = realtime.status.value === 'online' ? await realtime.emitAck('chat:read', { chatId, seq }).catch(() => null) : null;
      if (reply?.ok) view = reply.data;
      else view = await api().post<ReadView>(`/chats/${chatId}/read`, { seq });
      if ((unsentReads.get(chatId) ?? 0) <= view.lastReadSeq) unsentReads.delete(chatId);
      const cur = byId.value[chatId];
      if (cur && messages.unreadOf(chatId, meId.value, cur.lastReadSeq) === null && cur.lastReadSeq <= view.lastReadSeq) {
        byId.value[chatId] = { ...cur, unread: view.unread };
      }
    } catch (err) {
      if (isNotFound(err)) removeChat(chatId);
      // Otherwise kept in unsentReads and sent again after the next reconnect.
    }
  }

  // ---- chats and members ------------------------------------------------------------------

  /** The dialog with this user, opened or created (never two for one pair). */
  async function openDialogWith(userId: string): Promise<ChatView> {
    const chat = await api().post<ChatView>('/chats', { userIds: [userId] });
    if (!byId.value[chat.id]) insert(chat);
    return chat;
  }

  async function createGroup(userIds: string[], title: string): Promise<ChatView> {
    const chat = await api().post<ChatView>('/chats', { userIds, title });
    if (!byId.value[chat.id]) insert(chat);
    return chat;
  }

  async function rename(chatId: string, title: string): Promise<void> {
    await api().patch<ChatView>(`/chats/${chatId}`, { title });
    // The 'chat:renamed' event carries the change to every member, me included.
    await sequencerOf(chatId).catchUp();
  }

  async function setCustomName(chatId: string, customName: string): Promise<void> {
    mergeSnapshot(await api().patch<ChatView>(`/chats/${chatId}/me`, { customName }));
  }

  async function loadMembers(chatId: string): Promise<MemberView[]> {
    const list = await api().get<MemberView[]>(`/chats/${chatId}/members`);
    members.value[chatId] = list;
    presence.seed(list.map((m) => m.user));
    return list;
  }

  async function addMembers(chatId: string, userIds: string[]): Promise<void> {
    await api().post<MemberView[]>(`/chats/${chatId}/members`, { userIds });
    await sequencerOf(chatId).catchUp();
  }

  async function removeMember(chatId: string, userId: string): Promise<void> {
    await api().del<void>(`/chats/${chatId}/members/${userId}`);
    await sequencerOf(chatId).catchUp();
    // Ownership may have passed on: the list is cheap to take again.
    if (members.value[chatId]) await loadMembers(chatId);
  }

  async function setRole(chatId: string, userId: string, role: Exclude<MemberRole, 'owner'>): Promise<void> {
    await api().patch<MemberView>(`/chats/${chatId}/members/${userId}`, { role });
    await sequencerOf(chatId).catchUp();
  }

  async function leave(chatId: string): Promise<void> {
    await api().post<void>(`/chats/${chatId}/leave`);
    removeChat(chatId);
  }

  /** Makes sure an opened chat (from the URL) is held; false when it is not mine or does not exist. */
  function ensureChat(chatId: string): Promise<boolean> {
    return adopt(chatId);
  }

  // ---- wiring -----------------------------------------------------------------------------

  /** Subscribes to the socket once per tab (client only). */
  function attach(): void {
    if (attached || import.meta.server) return;
    attached = true;
    for (const type of CHAT_EVENT_TYPES) realtime.on(type, ((e: AnyChatEvent) => offer(e)) as never);
    realtime.on('chat:created', (c) => mergeSnapshot(c));
    realtime.on('chat:updated', (c) => mergeSnapshot(c));
    realtime.on('chat:removed', ({ chatId }) => removeChat(chatId));
    realtime.on('chat:typing', onTyping);
    realtime.onResync(() => void resync());
  }

  /** The seq this client has applied for a chat (tests and diagnostics). */
  function appliedSeq(chatId: string): number {
    return sequencers.get(chatId)?.lastSeq ?? byId.value[chatId]?.lastSeq ?? 0;
  }

  return {
    byId, nextCursor, listLoaded, loadingMore, listError, typing, members, serverUnread, list, badge,
    loadFirstPage, loadMore, resync, offer, ensureChat, markRead, typingIn, sendTyping, typingDone,
    openDialogWith, createGroup, rename, setCustomName, loadMembers, addMembers, removeMember, setRole, leave,
    attach, appliedSeq, removeChat, mergeSnapshot,
  };
});
