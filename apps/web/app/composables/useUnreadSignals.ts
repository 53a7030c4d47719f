import { useCountersStore } from '~/stores/counters';
import { unreadBadge } from '~/utils/chat-list';

/** The favicon with a red count in its top right corner (an SVG of its own, from the site's icon). */
export function badgedIcon(icon: string, count: number): string {
  const label = unreadBadge(count);
  const badge =
    `<circle cx="46" cy="18" r="18" fill="#e53935"/>` +
    `<text x="46" y="25" font-family="Arial,sans-serif" font-size="${label.length > 2 ? 15 : 21}" font-weight="700" fill="#fff" text-anchor="middle">${label}</text>`;
  return `data:image/svg+xml,${encodeURIComponent(icon.replace('</svg>', `${badge}</svg>`))}`;
}

/**
 * What the app shows of the total unread count (muted chats left out) outside the page: while the
 * tab is hidden, "(3) Messenger" in the title and a badge on the favicon; in the installed app, the
 * app icon's badge (Badging API). Client only; call once in the signed-in shell.
 */
export function useUnreadSignals(): void {
  const counters = useCountersStore();
  const hidden = ref(false);
  const total = computed(() => counters.unreadMessages);
  const shown = computed(() => (hidden.value ? total.value : 0));

  // A string template (a function would not be called again when the count changes); the
  // separator goes away with an empty title.
  useHead({
    titleTemplate: computed(() => `${shown.value > 0 ? `(${unreadBadge(shown.value)}) ` : ''}%s %separator Messenger`),
    templateParams: { separator: '·' },
  });

  let icon: string | null = null;
  let plainHref: string | null = null;
  async function paintFavicon(count: number): Promise<void> {
    const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    if (!link) return;
    plainHref ??= link.href;
    if (count === 0) {
      link.href = plainHref;
      return;
    }
    icon ??= await fetch(plainHref).then((r) => (r.ok ? r.text() : null)).catch(() => null);
    if (icon && shown.value === count) link.href = badgedIcon(icon, count);
  }

  function onVisibility(): void {
    hidden.value = document.visibilityState === 'hidden';
  }

  onMounted(() => {
    onVisibility();
    document.addEventListener('visibilitychange', onVisibility);
    watch(shown, (n) => void paintFavicon(n), { immediate: true });
    watch(total, (n) => {
      const nav = navigator as Navigator & { setAppBadge?: (n?: number) => Promise<void>; clearAppBadge?: () => Promise<void> };
      // Refused outside an installed app in some browsers: the badge is a nicety, never an error.
      void (n > 0 ? nav.setAppBadge?.(n) : nav.clearAppBadge?.())?.catch(() => undefined);
    }, { immediate: true });
  });
  onBeforeUnmount(() => document.removeEventListener('visibilitychange', onVisibility));
}
