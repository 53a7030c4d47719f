import type { Ref } from 'vue';

/** The composer's textarea: grows with its text (up to 180 px), tracks the caret, inserts at the selection. */
export function useTextBox(box: Ref<HTMLTextAreaElement | null>, text: Ref<string>, caret: Ref<number>) {
  function resize(): void {
    const el = box.value;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 180)}px`;
  }

  function onCaret(): void {
    caret.value = box.value?.selectionStart ?? 0;
  }

  /** Replaces the selection (or inserts at the caret) with `insert`, then puts the caret after it. */
  function insertAtCaret(insert: string): void {
    const el = box.value;
    const start = el?.selectionStart ?? text.value.length;
    const end = el?.selectionEnd ?? start;
    text.value = text.value.slice(0, start) + insert + text.value.slice(end);
    void nextTick(() => {
      const at = start + insert.length;
      el?.setSelectionRange(at, at);
      caret.value = at;
      el?.focus();
    });
  }

  return { resize, onCaret, insertAtCaret };
}
