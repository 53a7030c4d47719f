import type { DraftView, SaveDraftRequest } from '@app/contracts';
import type { useRealtime } from '~/composables/useRealtime';
import { createApiClient } from '~/composables/useApi';
import { useChatsStore } from '~/stores/chats';

/** How long typing pauses before the draft is saved. */
const SAVE_AFTER_MS = 700;

/**
 * Unsent text per chat, kept on the server (so another tab or device continues it) and shown as
 * "Draft: …" in the chat list. The chat views carry each draft; 'draft:changed' brings the user's
 * changes from elsewhere, and a send made while one is held ends it (`clearDraft`). A save goes out
 * once typing pauses, and only when the text differs from what the server holds.
 */
export const useDraftsStore = defineStore('drafts', () => {
  const nuxtApp = useNuxtApp();
  const chats = useChatsStore();
  // Not state: this tab's timers and what it last knew the server to hold.
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const held = new Map<string, string>();
  let bound = false;

  function serverText(chatId: string): string {
    return held.get(chatId) ?? chats.byId[chatId]?.draft?.text ?? '';
  }

  function apply(d: DraftView): void {
    held.set(d.chatId, d.text);
    const c = chats.byId[d.chatId];
    if (c) chats.byId[d.chatId] = { ...c, draft: d.text || d.replyToId ? d : null };
  }

  async function save(chatId: string, text: string): Promise<void> {
    timers.delete(chatId);
    if (serverText(chatId) === text) return;
    held.set(chatId, text);
    try {
      apply(await createApiClient(nuxtApp).put<DraftView>(`/chats/${chatId}/draft`, { text } satisfies SaveDraftRequest));
    } catch {
      // Unknown now: the next change saves again.
      held.delete(chatId);
    }
  }

  /** The composer's text changed: saved once typing pauses. */
  function change(chatId: string, text: string): void {
    const timer = timers.get(chatId);
    if (timer) clearTimeout(timer);
    timers.set(chatId, setTimeout(() => void save(chatId, text.trim() ? text : ''), SAVE_AFTER_MS));
  }

  /**
   * The text was sent: a save still waiting is dropped. Says whether the server may hold a draft
   * of the chat, for the send to end it (SendMessageRequest.clearDraft).
   */
  function sent(chatId: string): boolean {
    const timer = timers.get(chatId);
    if (timer) clearTimeout(timer);
    timers.delete(chatId);
    return serverText(chatId) !== '' || Boolean(chats.byId[chatId]?.draft);
  }

  function bind(rt: ReturnType<typeof useRealtime>): void {
    if (bound) return;
    bound = true;
    rt.on('draft:changed', apply);
  }

  return { change, sent, bind };
});
