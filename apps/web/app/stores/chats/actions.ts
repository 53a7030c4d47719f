import type {
  ChatView,
  ForwardedView,
  ForwardMessagesRequest,
  MemberRole,
  MemberView,
  MuteChatRequest,
  ReadView,
} from '@app/contracts';
import type { Ref } from 'vue';
import type { ApiClient } from '~/composables/useApi';
import type { useMessagesStore } from '~/stores/messages';
import type { usePresenceStore } from '~/stores/presence';
import type { useRealtime } from '~/composables/useRealtime';
import { toApiRequestError } from '~/utils/api-error';

/** What the chat actions need of the chats store's state and machinery. */
export interface ChatsCore {
  api: () => ApiClient;
  presence: ReturnType<typeof usePresenceStore>;
  messages: ReturnType<typeof useMessagesStore>;
  realtime: ReturnType<typeof useRealtime>;
  meId: Ref<string>;
  byId: Ref<Record<string, ChatView>>;
  members: Ref<Record<string, MemberView[]>>;
  /** Read pointers not yet confirmed by the server (sent again after a reconnect). */
  unsentReads: Map<string, number>;
  insert(chat: ChatView, asOf: number): void;
  mergeSnapshot(fresh: ChatView, asOf: number): void;
  removeChat(chatId: string): void;
  /** Fetches a chat's view afresh and merges it. */
  refetch(chatId: string): Promise<void>;
  catchUp(chatId: string): Promise<unknown>;
}

export const isNotFound = (err: unknown): boolean => toApiRequestError(err).status === 404;

/** What the user does to chats, members and read pointers: one request each, the result merged. */
export function chatActions(core: ChatsCore) {
  const { api, presence, messages, byId, members } = core;

  /** Everything up to `seq` has been seen: moves my pointer now, then tells the server. */
  async function markRead(chatId: string, seq: number, retry = false): Promise<void> {
    const chat = byId.value[chatId];
    if (!chat) return;
    if (seq <= chat.lastReadSeq && !retry) return;
    if (seq > chat.lastReadSeq) {
      const exact = messages.unreadOf(chatId, core.meId.value, seq);
      const unread = exact ?? (!chat.lastMessage || chat.lastMessage.seq <= seq ? 0 : chat.unread);
      byId.value[chatId] = { ...chat, lastReadSeq: seq, unread, unreadMentions: unread === 0 ? 0 : chat.unreadMentions };
    }
    core.unsentReads.set(chatId, Math.max(seq, core.unsentReads.get(chatId) ?? 0));
    try {
      let view: ReadView;
      const reply = core.realtime.status.value === 'online' ? await core.realtime.emitAck('chat:read', { chatId, seq }).catch(() => null) : null;
      if (reply?.ok) view = reply.data;
      else view = await api().post<ReadView>(`/chats/${chatId}/read`, { seq });
      if ((core.unsentReads.get(chatId) ?? 0) <= view.lastReadSeq) core.unsentReads.delete(chatId);
      const cur = byId.value[chatId];
      if (cur && cur.lastReadSeq <= view.lastReadSeq) {
        const local = messages.unreadOf(chatId, core.meId.value, cur.lastReadSeq) !== null;
        byId.value[chatId] = { ...cur, unread: local ? cur.unread : view.unread, unreadMentions: view.unreadMentions };
      }
    } catch (err) {
      if (isNotFound(err)) core.removeChat(chatId);
      // Otherwise kept in unsentReads and sent again after the next reconnect.
    }
  }

  /** The dialog with this user, opened or created (never two for one pair). */
  async function openDialogWith(userId: string): Promise<ChatView> {
    const asOf = presence.stamp();
    const chat = await api().post<ChatView>('/chats', { userIds: [userId] });
    if (!byId.value[chat.id]) core.insert(chat, asOf);
    return chat;
  }

  async function createGroup(userIds: string[], title: string): Promise<ChatView> {
    const asOf = presence.stamp();
    const chat = await api().post<ChatView>('/chats', { userIds, title });
    if (!byId.value[chat.id]) core.insert(chat, asOf);
    return chat;
  }

  async function rename(chatId: string, title: string): Promise<void> {
    await api().patch<ChatView>(`/chats/${chatId}`, { title });
    // The 'chat:renamed' event carries the change to every member, me included.
    await core.catchUp(chatId);
  }

  async function setCustomName(chatId: string, customName: string): Promise<void> {
    const asOf = presence.stamp();
    core.mergeSnapshot(await api().patch<ChatView>(`/chats/${chatId}/me`, { customName }), asOf);
  }

  /** Mutes until an ISO time or for good ('forever'), or unmutes (null); my other tabs hear 'chat:updated'. */
  async function mute(chatId: string, until: string | null, mentionsOnly = false): Promise<void> {
    const asOf = presence.stamp();
    core.mergeSnapshot(await api().put<ChatView>(`/chats/${chatId}/mute`, { until, mentionsOnly } satisfies MuteChatRequest), asOf);
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
    await core.catchUp(chatId);
  }

  async function removeMember(chatId: string, userId: string): Promise<void> {
    await api().del<void>(`/chats/${chatId}/members/${userId}`);
    await core.catchUp(chatId);
    // Ownership may have passed on: the list is cheap to take again.
    if (members.value[chatId]) await loadMembers(chatId);
  }

  async function setRole(chatId: string, userId: string, role: Exclude<MemberRole, 'owner'>): Promise<void> {
    await api().patch<MemberView>(`/chats/${chatId}/members/${userId}`, { role });
    await core.catchUp(chatId);
  }

  async function leave(chatId: string): Promise<void> {
    await api().post<void>(`/chats/${chatId}/leave`);
    core.removeChat(chatId);
  }

  /** A message I deleted for myself (on any device): out of the history, the preview and the unread count. */
  function forgetMessage(chatId: string, messageId: string): void {
    messages.forget(chatId, [messageId]);
    if (byId.value[chatId]) void core.refetch(chatId).catch(() => undefined);
  }

  /**
   * My relationship to someone changed (a block, an unblock…): their views in my chats are taken
   * afresh, so what shows live is what a reload would show.
   */
  function refreshPerson(userId: string): void {
    for (const c of Object.values(byId.value)) {
      if (c.peer?.id === userId) void core.refetch(c.id).catch(() => undefined);
    }
    for (const [chatId, list] of Object.entries(members.value)) {
      if (list.some((m) => m.user.id === userId)) void loadMembers(chatId).catch(() => undefined);
    }
  }

  return { forgetMessage, refreshPerson, markRead, openDialogWith, createGroup, rename, setCustomName, mute, forward, loadMembers, addMembers, removeMember, setRole, leave };
}
