import type { ChatView, ChatWallpaperView, ImageView } from '@app/contracts';
import { createApiClient } from '~/composables/useApi';
import { useChatsStore } from '~/stores/chats';

/**
 * A group's picture and description (changed by admins; every member gets the change as a chat
 * event, applied by the chats store), and my own wallpaper per chat (only I see it).
 */
export const useChatProfileStore = defineStore('chat-profile', () => {
  const nuxtApp = useNuxtApp();
  const chats = useChatsStore();
  /** chatId → my wallpaper for it (null: the default); absent until loaded. */
  const wallpapers = ref<Record<string, ImageView | null>>({});
  const api = () => createApiClient(nuxtApp);

  async function setDescription(chatId: string, description: string): Promise<void> {
    await api().put<ChatView>(`/chats/${chatId}/description`, { description });
    await chats.syncChat(chatId);
  }

  async function setAvatar(chatId: string, image: Blob): Promise<void> {
    const form = new FormData();
    form.append('file', image, 'group.png');
    await api().put<ChatView>(`/chats/${chatId}/avatar`, form);
    await chats.syncChat(chatId);
  }

  async function removeAvatar(chatId: string): Promise<void> {
    await api().del<ChatView>(`/chats/${chatId}/avatar`);
    await chats.syncChat(chatId);
  }

  async function loadWallpaper(chatId: string): Promise<void> {
    if (chatId in wallpapers.value) return;
    const view = await api().get<ChatWallpaperView>(`/chats/${chatId}/wallpaper`);
    wallpapers.value[chatId] = view.wallpaper;
  }

  async function setWallpaper(chatId: string, file: File): Promise<void> {
    const form = new FormData();
    form.append('file', file, file.name);
    wallpapers.value[chatId] = (await api().put<ChatWallpaperView>(`/chats/${chatId}/wallpaper`, form)).wallpaper;
  }

  async function clearWallpaper(chatId: string): Promise<void> {
    wallpapers.value[chatId] = (await api().del<ChatWallpaperView>(`/chats/${chatId}/wallpaper`)).wallpaper;
  }

  return { wallpapers, setDescription, setAvatar, removeAvatar, loadWallpaper, setWallpaper, clearWallpaper };
});
