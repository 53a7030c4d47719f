import type { AnyChatEvent, PinView, PinsView } from '@app/contracts';
import { createApiClient } from '~/composables/useApi';

/**
 * Each open chat's pinned messages, most recently pinned first: loaded when the chat opens (and
 * again when its log had to be reset), then kept by the chat's own events in seq order
 * ('chat:pinned', 'chat:unpinned', and edits and deletes of pinned messages), so a pin made on
 * another device or by another member shows at once and after a catch-up.
 */
export const usePinsStore = defineStore('pins', () => {
  const nuxtApp = useNuxtApp();
  const byChat = ref<Record<string, PinView[]>>({});
  const api = () => createApiClient(nuxtApp);

  async function load(chatId: string): Promise<void> {
    byChat.value[chatId] = (await api().get<PinsView>(`/chats/${chatId}/pins`)).items;
  }

  function isPinned(chatId: string, messageId: string): boolean {
    return byChat.value[chatId]?.some((p) => p.message.id === messageId) ?? false;
  }

  /** One event of a chat, in its order (only chats whose pins are loaded). */
  function applyEvent(e: AnyChatEvent): void {
    const list = byChat.value[e.chatId];
    if (!list) return;
    if (e.type === 'chat:pinned') byChat.value[e.chatId] = [e.data, ...list.filter((p) => p.message.id !== e.data.message.id)];
    else if (e.type === 'chat:unpinned' || e.type === 'message:deleted') {
      const id = e.type === 'chat:unpinned' ? e.data.messageId : e.data.id;
      byChat.value[e.chatId] = list.filter((p) => p.message.id !== id);
    } else if (e.type === 'message:updated') {
      byChat.value[e.chatId] = list.map((p) => (p.message.id === e.data.id ? { ...p, message: e.data } : p));
    }
  }

  async function pin(chatId: string, messageId: string): Promise<void> {
    await api().put<PinView>(`/chats/${chatId}/pins/${messageId}`);
  }

  async function unpin(chatId: string, messageId: string): Promise<void> {
    await api().del(`/chats/${chatId}/pins/${messageId}`);
  }

  return { byChat, load, isPinned, applyEvent, pin, unpin };
});
