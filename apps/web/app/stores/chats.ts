import type { AnyChatEvent, ChatEventsView, ChatView, MemberView } from '@app/contracts';
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
import { applyEventToChat, applyEventToMembers, mergeUnlogged } from '~/utils/chat-apply';
import { badgeCounters, sortChatIds, unreadTotals, type UnreadCounters } from '~/utils/chat-list';
import { ChatSequencer } from '~/utils/chat-sync';
import { chatActions, isNotFound } from './chats/actions';
import { chatListSync } from './chats/list-sync';
import { useMuteClock } from './chats/mute-clock';

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
  const muteClock = useMuteClock(byId);
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

  /** Makes sure an opened chat (from the URL) is held; false when it is not mine or does not exist. */
  function ensureChat(chatId: string): Promise<boolean> {
    return adopt(chatId);
  }

  const core = {
    api, presence, messages, realtime, meId, byId, members, unsentReads, insert, mergeSnapshot, removeChat, refetch,
    catchUp: (chatId: string) => sequencerOf(chatId).catchUp(),
  };
  const actions = chatActions(core);
  const { markRead, loadMembers, forgetMessage, refreshPerson } = actions;
  const listSync = chatListSync({
    ...core, session, counters, nextCursor, listLoaded, loadingMore, listError, serverUnread, localTotals, badge, appliedSeq, mergeList, markRead,
  });
  const { resync } = listSync;

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
    ...listSync, ...actions, offer, ensureChat,
    attach, appliedSeq, removeChat, mergeSnapshot, syncChat: (chatId: string) => sequencerOf(chatId).catchUp(),
  };
});
