import type { TypingPayload } from '@app/contracts';
import type { useRealtime } from '~/composables/useRealtime';
import { useSessionStore } from '~/stores/session';

/** A "typing…" shows this long after the last signal. */
const TYPING_TTL_MS = 6000;
/** I tell others I am typing at most this often per chat. */
const TYPING_THROTTLE_MS = 3000;

/**
 * Who is typing where ('chat:typing' from the others, each shown for a few seconds after their
 * last signal, gone at once when their message arrives), and my own throttled signals.
 */
export const useTypingStore = defineStore('typing', () => {
  const session = useSessionStore();
  /** chatId → userId → until when "typing…" shows (epoch ms). */
  const typing = ref<Record<string, Record<string, number>>>({});
  // Not state: this tab's timers.
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const sentAt = new Map<string, number>();
  let realtime: ReturnType<typeof useRealtime> | null = null;

  function clear(chatId: string, userId: string): void {
    const key = `${chatId}:${userId}`;
    const timer = timers.get(key);
    if (timer) clearTimeout(timer);
    timers.delete(key);
    const forChat = typing.value[chatId];
    if (forChat && userId in forChat) {
      const { [userId]: _gone, ...rest } = forChat;
      typing.value[chatId] = rest;
    }
  }

  /** A chat left this client: nobody types there any more. */
  function drop(chatId: string): void {
    for (const userId of Object.keys(typing.value[chatId] ?? {})) clear(chatId, userId);
    delete typing.value[chatId];
  }

  /** A signal from someone else in a chat `known` says this client holds. */
  function onTyping(p: TypingPayload, known: boolean): void {
    if (p.userId === session.me?.id || !known) return;
    const key = `${p.chatId}:${p.userId}`;
    const old = timers.get(key);
    if (old) clearTimeout(old);
    typing.value[p.chatId] = { ...typing.value[p.chatId], [p.userId]: Date.now() + TYPING_TTL_MS };
    timers.set(key, setTimeout(() => clear(p.chatId, p.userId), TYPING_TTL_MS));
  }

  function typingIn(chatId: string): string[] {
    return Object.keys(typing.value[chatId] ?? {});
  }

  /** Tells the others I am typing (throttled; best effort). */
  function sendTyping(chatId: string): void {
    const now = Date.now();
    if (!realtime || now - (sentAt.get(chatId) ?? 0) < TYPING_THROTTLE_MS || realtime.status.value !== 'online') return;
    sentAt.set(chatId, now);
    realtime.emitAck('chat:typing', { chatId }).catch(() => undefined);
  }

  /** After sending, the next keystroke announces typing again at once. */
  function typingDone(chatId: string): void {
    sentAt.delete(chatId);
  }

  /** The socket to signal on (the chats store subscribes to 'chat:typing' and hands signals in). */
  function use(rt: ReturnType<typeof useRealtime>): void {
    realtime = rt;
  }

  return { typing, clear, drop, onTyping, typingIn, sendTyping, typingDone, use };
});
