import type {
  AnyChatEvent,
  ChatEventsView,
  ChatView,
  CountersView,
  ForwardedView,
  ForwardMessagesRequest,
  MemberRole,
  MemberView,
  MuteChatRequest,
  Page,
  ReadView,
} from '@app/contracts';
import { CHAT_EVENT_TYPES } from '@app/contracts';
import { createApiClient } from '~/composables/useApi';
import { useCountersStore } from '~/stores/counters';
import { useGalleryStore } from '~/stores/gallery';
import { useMessagesStore } from '~/stores/messages';
import { useOutboxStore } from '~/stores/outbox';
import { usePinsStore } from '~/stores/pins';
import { usePresenceStore } from '~/stores/presence';
import { useTypingStore } from '~/stores/typing';
import { useSessionStore } from '~/stores/session';
import { toApiRequestError } from '~/utils/api-error';
import { applyEventToChat, applyEventToMembers, mergeUnlogged } from '~/utils/chat-apply';
import { badgeCounters, nextMuteExpiry, sortChatIds, unreadTotals, type UnreadCounters } from '~/utils/chat-list';
import { ChatSequencer } from '~/utils/chat-sync';


const PAGE = 30;
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
  /** Loaded member lists (groups: "seen by", mentions, management). */
  const members = ref<Record<string, MemberView[]>>({});
  /** The server's unread totals when fetched, and the local totals at that moment. */
  const serverUnread = ref<{ totals: UnreadCounters; localAtFetch: UnreadCounters } | null>(null);

  const meId = computed(() => session.me?.id ?? '');
  const list = computed(() => sortChatIds(byId.value).map((id) => byId.value[id]!));
  /** The time the totals count mutes at: moved on when a mute runs out, so that chat counts again. */
  const muteClock = ref(Date.now());
  const localTotals = computed(() => unreadTotals(Object.values(byId.value), muteClock.value));
  const badge = computed(() => badgeCounters(localTotals.value, listLoaded.value && nextCursor.value === null, serverUnread.value));

  // Not state: this tab's machinery.
  const sequencers = new Map<string, ChatSequencer>();
  const adopting = new Map<string, Promise<boolean>>();
  /** When each chat left this client (removed, left): a list fetched before that must not bring it back. */
  const removedAt = new Map<string, number>();
  const fetchedAfterRemoval = (chatId: string, from: number): boolean => (removedAt.get(chatId) ?? -1) < from;
  /** Read pointers not yet confirmed by the server (sent again after a reconnect). */
  const unsentReads = new Map<string, number>();
  let attached = false;

  if (import.meta.client) {
    watch(badge, (b) => counters.set(b), { immediate: true });
    let muteTimer: ReturnType<typeof setTimeout> | null = null;
    const followMutes = (): void => {
      if (muteTimer) clearTimeout(muteTimer);
      muteTimer = null;
      muteClock.value = Date.now();
      const next = nextMuteExpiry(Object.values(byId.value), muteClock.value);
      if (next !== null) muteTimer = setTimeout(followMutes, Math.min(next - Date.now() + 50, 2 ** 31 - 1));
    };
    watch(() => Object.values(byId.value).map((c) => c.mutedUntil).join(), followMutes, { immediate: true });
  }

  // ---- sequencing -------------------------------------------------------------------------

  function sequencerOf(chatId: string): ChatSequencer {
    let seq = sequencers.get(chatId);
    if (!seq) {
      // A sequencer outlived by its chat (removed, then added back) finishes its fetches, but
      // applies nothing: the chat's new sequencer starts from the fresh view.
      const current = (): boolean => sequencers.get(chatId) === created;
      const created: ChatSequencer = new ChatSequencer(byId.value[chatId]?.lastSeq ?? 0, {
        fetchAfter: async (after) => {
          const view = await api().get<ChatEventsView>(`/chats/${chatId}/events`, { after });
          // What I deleted for myself (maybe on another device) must not come back with its events.
          if (view.hidden?.length) messages.forget(chatId, view.hidden);
          return view;
        },
        apply: (e) => {
          if (current()) applyEvent(e);
        },
        reset: () => (current() ? resetChat(chatId) : Promise.resolve(created.lastSeq)),
        onError: (err) => {
          if (current() && isNotFound(err)) removeChat(chatId);
        },
      });
      seq = created;
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
    if (usePinsStore().byChat[chatId]) await usePinsStore().load(chatId);
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
    usePinsStore().applyEvent(e);
    const mem = members.value[e.chatId];
    if (mem) members.value[e.chatId] = applyEventToMembers(mem, e);
    if (e.type === 'message:created') {
      useTypingStore().clear(e.chatId, e.data.senderId);
      // An open gallery (or the viewer's list) reloads with the new files.
      if (e.data.attachments.length > 0) useGalleryStore().invalidate(e.chatId);
      if (e.data.senderId === meId.value) useOutboxStore().delivered(e.data);
    }
    if (e.type === 'message:created' && result.chat.lastMessage?.id === e.data.id && result.chat.lastSenderName === null) {
      result.chat.lastSenderName = senderName(result.chat, e.data.senderId);
      if (result.chat.lastSenderName === null && result.chat.kind === 'group' && !members.value[e.chatId]) {
        // Someone this client has not seen yet: the member list names them (fetched once per group).
        const { chatId } = e;
        const { id, senderId } = e.data;
        void loadMembers(chatId).then(() => {
          const c = byId.value[chatId];
          if (c?.lastMessage?.id === id && c.lastSenderName === null) byId.value[chatId] = { ...c, lastSenderName: senderName(c, senderId) };
        }).catch(() => undefined);
      }
    }
    if (result.unreadUnknown) {
      const n = messages.unreadOf(e.chatId, meId.value, result.chat.lastReadSeq);
      if (n !== null) result.chat.unread = n;
      else void refreshUnread(e.chatId);
    }
    byId.value[e.chatId] = result.chat;
  }

  /** A sender's name as far as this client knows it (me, the dialog's peer, a loaded member), else null. */
  function senderName(chat: ChatView, userId: string): string | null {
    if (userId === meId.value) return session.me?.displayName ?? null;
    if (chat.peer?.id === userId) return chat.peer.displayName;
    return members.value[chat.id]?.find((m) => m.user.id === userId)?.user.displayName ?? null;
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
      const from = performance.now();
      running = api()
        .get<ChatView>(`/chats/${chatId}`)
        .then((c) => {
          if (!fetchedAfterRemoval(c.id, from)) return false;
          if (!byId.value[c.id]) insert(c, from);
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

  /** `asOf`: when the view's request went out (`presence.stamp()`), or when its event arrived. */
  function insert(chat: ChatView, asOf: number): void {
    sequencers.delete(chat.id);
    byId.value[chat.id] = chat;
    if (chat.peer) presence.seed([chat.peer], asOf);
  }

  /** Fetches a chat's view afresh and merges it. */
  function refetch(chatId: string): Promise<void> {
    const asOf = presence.stamp();
    return api()
      .get<ChatView>(`/chats/${chatId}`)
      .then((view) => mergeSnapshot(view, asOf));
  }

  /**
   * A full view from the server (list refetch, chat:created/updated). Taken whole only when it is
   * at exactly the seq this client has applied; otherwise only what events do not carry (my name
   * for the chat, the peer's profile) is taken, and a catch-up brings the rest in order.
   */
  function mergeSnapshot(fresh: ChatView, asOf: number): void {
    const cur = byId.value[fresh.id];
    if (!cur) {
      insert(fresh, asOf);
      return;
    }
    const seq = sequencers.get(fresh.id);
    const applied = seq?.lastSeq ?? cur.lastSeq;
    if (fresh.peer) presence.seed([fresh.peer], asOf);
    if (fresh.lastSeq === applied && !seq?.syncing) {
      const keepRead = cur.lastReadSeq > fresh.lastReadSeq;
      byId.value[fresh.id] = {
        ...fresh,
        lastReadSeq: keepRead ? cur.lastReadSeq : fresh.lastReadSeq,
        unread: keepRead ? cur.unread : fresh.unread,
      };
      return;
    }
    byId.value[fresh.id] = mergeUnlogged(cur, fresh);
    if (fresh.lastSeq > applied) void sequencerOf(fresh.id).catchUp();
  }

  /** A page of the list fetched from `from` on; a chat that left this client meanwhile stays out. */
  function mergeList(views: ChatView[], from: number): void {
    for (const c of views) if (fetchedAfterRemoval(c.id, from)) mergeSnapshot(c, from);
  }

  /** The server's exact unread count, taken when it is at the seq this client has applied. */
  async function refreshUnread(chatId: string): Promise<void> {
    try {
      const fresh = await api().get<ChatView>(`/chats/${chatId}`);
      const cur = byId.value[chatId];
      if (cur && fresh.lastSeq === sequencerOf(chatId).lastSeq && fresh.lastReadSeq >= cur.lastReadSeq) {
        byId.value[chatId] = { ...cur, unread: fresh.unread, unreadMentions: fresh.unreadMentions, lastSenderName: cur.lastSenderName ?? fresh.lastSenderName };
      }
    } catch {
      // The next resync corrects it.
    }
  }

  function removeChat(chatId: string): void {
    if (import.meta.client) removedAt.set(chatId, performance.now());
    delete byId.value[chatId];
    delete members.value[chatId];
    useTypingStore().drop(chatId);
    sequencers.delete(chatId);
    unsentReads.delete(chatId);
    messages.drop(chatId);
  }

  // ---- the list ---------------------------------------------------------------------------

  /** The first page (SSR and after every reconnect), merged into what is held. */
  async function loadFirstPage(): Promise<void> {
    try {
      const from = import.meta.client ? performance.now() : 0;
      const page = await api().get<Page<ChatView>>('/chats', { limit: PAGE });
      mergeList(page.items, from);
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
      const from = performance.now();
      const page = await api().get<Page<ChatView>>('/chats', { limit: PAGE, cursor: nextCursor.value });
      mergeList(page.items, from);
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
      const from = performance.now();
      const [first] = await Promise.all([api().get<Page<ChatView>>('/chats', { limit: PAGE }), fetchCounters()]);
      page = first.items;
      mergeList(page, from);
      if (!listLoaded.value || Object.keys(byId.value).length <= PAGE) nextCursor.value = first.nextCursor;
      listLoaded.value = true;
      listError.value = null;
    } catch (err) {
      listError.value = toApiRequestError(err).code;
    }
    messages.retryFailed((id) => byId.value[id]?.lastReadSeq ?? 0);
    messages.recheckHidden();
    const seen = new Set(page.map((c) => c.id));
    const stale = [...before.keys()].filter((id) => !seen.has(id) && byId.value[id]);
    await runLimited(stale.map((id) => () => sequencerOf(id).catchUp()), CATCH_UP_CONCURRENCY);
    for (const [chatId, seq] of unsentReads) void markRead(chatId, seq, true);
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
      byId.value[chatId] = { ...chat, lastReadSeq: seq, unread, unreadMentions: unread === 0 ? 0 : chat.unreadMentions };
    }
    unsentReads.set(chatId, Math.max(seq, unsentReads.get(chatId) ?? 0));
    try {
      let view: ReadView;
      const reply = realtime.status.value === 'online' ? await realtime.emitAck('chat:read', { chatId, seq }).catch(() => null) : null;
      if (reply?.ok) view = reply.data;
      else view = await api().post<ReadView>(`/chats/${chatId}/read`, { seq });
      if ((unsentReads.get(chatId) ?? 0) <= view.lastReadSeq) unsentReads.delete(chatId);
      const cur = byId.value[chatId];
      if (cur && cur.lastReadSeq <= view.lastReadSeq) {
        const local = messages.unreadOf(chatId, meId.value, cur.lastReadSeq) !== null;
        byId.value[chatId] = { ...cur, unread: local ? cur.unread : view.unread, unreadMentions: view.unreadMentions };
      }
    } catch (err) {
      if (isNotFound(err)) removeChat(chatId);
      // Otherwise kept in unsentReads and sent again after the next reconnect.
    }
  }

  // ---- chats and members ------------------------------------------------------------------

  /** A message I deleted for myself (on any device): out of the history, the preview and the unread count. */
  function forgetMessage(chatId: string, messageId: string): void {
    messages.forget(chatId, [messageId]);
    if (byId.value[chatId]) void refetch(chatId).catch(() => undefined);
  }

  /**
   * My relationship to someone changed (a block, an unblock…): their views in my chats are taken
   * afresh, so what shows live is what a reload would show.
   */
  function refreshPerson(userId: string): void {
    for (const c of Object.values(byId.value)) {
      if (c.peer?.id === userId) void refetch(c.id).catch(() => undefined);
    }
    for (const [chatId, list] of Object.entries(members.value)) {
      if (list.some((m) => m.user.id === userId)) void loadMembers(chatId).catch(() => undefined);
    }
  }

  /** The dialog with this user, opened or created (never two for one pair). */
  async function openDialogWith(userId: string): Promise<ChatView> {
    const asOf = presence.stamp();
    const chat = await api().post<ChatView>('/chats', { userIds: [userId] });
    if (!byId.value[chat.id]) insert(chat, asOf);
    return chat;
  }

  async function createGroup(userIds: string[], title: string): Promise<ChatView> {
    const asOf = presence.stamp();
    const chat = await api().post<ChatView>('/chats', { userIds, title });
    if (!byId.value[chat.id]) insert(chat, asOf);
    return chat;
  }

  async function rename(chatId: string, title: string): Promise<void> {
    await api().patch<ChatView>(`/chats/${chatId}`, { title });
    // The 'chat:renamed' event carries the change to every member, me included.
    await sequencerOf(chatId).catchUp();
  }

  async function setCustomName(chatId: string, customName: string): Promise<void> {
    const asOf = presence.stamp();
    mergeSnapshot(await api().patch<ChatView>(`/chats/${chatId}/me`, { customName }), asOf);
  }

  /** Mutes until an ISO time or for good ('forever'), or unmutes (null); my other tabs hear 'chat:updated'. */
  async function mute(chatId: string, until: string | null, mentionsOnly = false): Promise<void> {
    const asOf = presence.stamp();
    mergeSnapshot(await api().put<ChatView>(`/chats/${chatId}/mute`, { until, mentionsOnly } satisfies MuteChatRequest), asOf);
  }

  /**
   * Forwards messages of `fromChatId` to each chat of `targetIds` (one request per chat, its own
   * client id, so a retry stores nothing twice); the new messages arrive as events.
   */
  async function forward(targetIds: string[], fromChatId: string, messageIds: string[]): Promise<void> {
    await Promise.all(
      targetIds.map((chatId) =>
        api().post<ForwardedView>(`/chats/${chatId}/forward`, { clientId: crypto.randomUUID(), fromChatId, messageIds } satisfies ForwardMessagesRequest),
      ),
    );
  }

  async function loadMembers(chatId: string): Promise<MemberView[]> {
    const asOf = presence.stamp();
    const list = await api().get<MemberView[]>(`/chats/${chatId}/members`);
    members.value[chatId] = list;
    presence.seed(list.map((m) => m.user), asOf);
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
    realtime.on('chat:created', (c) => mergeSnapshot(c, presence.stamp()));
    realtime.on('chat:updated', (c) => mergeSnapshot(c, presence.stamp()));
    realtime.on('chat:removed', ({ chatId }) => removeChat(chatId));
    useTypingStore().use(realtime);
    realtime.on('chat:typing', (p) => useTypingStore().onTyping(p, Boolean(byId.value[p.chatId])));
    realtime.on('message:hidden', ({ chatId, messageId }) => forgetMessage(chatId, messageId));
    realtime.on('relationship:changed', ({ userId }) => refreshPerson(userId));
    realtime.onResync(() => void resync());
  }

  /** The seq this client has applied for a chat (tests and diagnostics). */
  function appliedSeq(chatId: string): number {
    return sequencers.get(chatId)?.lastSeq ?? byId.value[chatId]?.lastSeq ?? 0;
  }

  return {
    byId, nextCursor, listLoaded, loadingMore, listError, members, serverUnread, list, badge,
    loadFirstPage, loadMore, resync, offer, ensureChat, markRead,
    openDialogWith, createGroup, forward, rename, setCustomName, mute, loadMembers, addMembers, removeMember, setRole, leave,
    attach, appliedSeq, removeChat, mergeSnapshot, syncChat: (chatId: string) => sequencerOf(chatId).catchUp(),
  };
});
