import type { Ref } from 'vue';
import { applyShortcut, hasMark, linkSelection, TOOLBAR_MARKS, toggleMark, type MarkEdit, type ToolbarMark } from '~/utils/chat-marks';

/**
 * Formatting in the composer: the shortcuts, and the selection the toolbar works on (shown while
 * text in the box is selected and focus stays in the composer).
 */
export function useFormatting(root: Ref<HTMLElement | null>, box: Ref<HTMLTextAreaElement | null>, text: Ref<string>) {
  const selection = ref<{ start: number; end: number } | null>(null);

  function track(): void {
    const el = box.value;
    const inside = root.value?.contains(document.activeElement) ?? false;
    selection.value = el && inside && el.selectionStart !== el.selectionEnd ? { start: el.selectionStart, end: el.selectionEnd } : null;
  }

  function replace(edit: MarkEdit | null): boolean {
    const el = box.value;
    if (!edit || !el) return false;
    text.value = edit.text;
    void nextTick(() => {
      el.focus();
      el.setSelectionRange(edit.start, edit.end);
      track();
    });
    return true;
  }

  /** Ctrl/⌘ + B, I, Shift+X, Shift+M, Shift+P on a selection; true when it was one. */
  function onKey(e: KeyboardEvent): boolean {
    const el = box.value;
    if (!(e.ctrlKey || e.metaKey) || e.altKey || !el) return false;
    const done = replace(applyShortcut(text.value, el.selectionStart, el.selectionEnd, e.key, e.shiftKey));
    if (done) e.preventDefault();
    return done;
  }

  function toggle(kind: ToolbarMark): void {
    const s = selection.value;
    if (s) replace(toggleMark(text.value, s.start, s.end, kind));
  }

  /** Links the selection; false when the address may not be linked. */
  function link(address: string): boolean {
    const s = selection.value;
    return s ? replace(linkSelection(text.value, s.start, s.end, address)) : false;
  }

  const active = computed(() => {
    const s = selection.value;
    return new Set(s ? TOOLBAR_MARKS.filter((k) => hasMark(text.value, s.start, s.end, k)) : []);
  });

  onMounted(() => document.addEventListener('selectionchange', track));
  onBeforeUnmount(() => document.removeEventListener('selectionchange', track));

  return { selection, active, onKey, toggle, link, track };
}
