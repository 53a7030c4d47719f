import type { ChatView } from '@app/contracts';
import type { Ref } from 'vue';
import { nextMuteExpiry } from '~/utils/chat-list';

/**
 * The time the totals count mutes at: moved on when the next mute runs out (in the browser), so
 * that chat counts again at once rather than with the next update.
 */
export function useMuteClock(byId: Ref<Record<string, ChatView>>): Ref<number> {
  const clock = ref(Date.now());
  if (import.meta.client) {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const follow = (): void => {
      if (timer) clearTimeout(timer);
      timer = null;
      clock.value = Date.now();
      const next = nextMuteExpiry(Object.values(byId.value), clock.value);
      if (next !== null) timer = setTimeout(follow, Math.min(next - Date.now() + 50, 2 ** 31 - 1));
    };
    watch(() => Object.values(byId.value).map((c) => c.mutedUntil).join(), follow, { immediate: true });
  }
  return clock;
}
