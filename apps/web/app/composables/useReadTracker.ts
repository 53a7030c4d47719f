import type { Directive, Ref } from 'vue';

/**
 * Marks what is on screen as read while the page is visible: message rows (elements with
 * `data-seq`) are watched while they are drawn (`v-read` on a virtual row), and the highest
 * seq seen is reported a moment later, at most once per burst.
 */
export function useReadTracker(root: Ref<HTMLElement | null>, lastReadSeq: () => number, markRead: (seq: number) => void) {
  const visible = new Set<number>();
  let observer: IntersectionObserver | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function flush(): void {
    timer = null;
    if (document.visibilityState !== 'visible' || visible.size === 0) return;
    const max = Math.max(...visible);
    if (max > lastReadSeq()) markRead(max);
  }

  function schedule(): void {
    if (!timer) timer = setTimeout(flush, 150);
  }

  function onVisibility(): void {
    if (document.visibilityState === 'visible') schedule();
  }

  const vRead: Directive<HTMLElement> = {
    mounted: (el) => {
      const target = el.querySelector<HTMLElement>('[data-seq]');
      if (target && observer) observer.observe(target);
    },
    beforeUnmount: (el) => {
      const target = el.querySelector<HTMLElement>('[data-seq]');
      if (!target) return;
      observer?.unobserve(target);
      visible.delete(Number(target.dataset.seq));
    },
  };

  onMounted(() => {
    observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          const seq = Number((e.target as HTMLElement).dataset.seq);
          if (!Number.isFinite(seq)) continue;
          if (e.isIntersecting) visible.add(seq);
          else visible.delete(seq);
        }
        schedule();
      },
      { root: root.value, threshold: 0.01 },
    );
    for (const el of root.value?.querySelectorAll<HTMLElement>('[data-seq]') ?? []) observer.observe(el);
    document.addEventListener('visibilitychange', onVisibility);
  });

  onBeforeUnmount(() => {
    observer?.disconnect();
    if (timer) clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  });

  return { vRead, schedule };
}
