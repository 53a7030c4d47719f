/** Index of `i` in a list of `n`, wrapping at both ends (-1 is the last). */
function wrap(i: number, n: number): number {
  return ((i % n) + n) % n;
}

/**
 * The arrow-key part of a WAI-ARIA menu, shared by every menu: ↓ ↑ move to the next or previous
 * item (wrapping; ↑ with nothing focused goes to the last), Home and End to the ends, and with
 * `horizontal` also → ←. Focuses the item and answers true when the key was one of these.
 */
export function moveMenuFocus(items: readonly HTMLElement[], key: string, opts: { horizontal?: boolean } = {}): boolean {
  if (items.length === 0) return false;
  const at = items.indexOf(document.activeElement as HTMLElement);
  const next = key === 'ArrowDown' || (opts.horizontal && key === 'ArrowRight')
    ? at + 1
    : key === 'ArrowUp' || (opts.horizontal && key === 'ArrowLeft')
      ? (at < 0 ? -1 : at - 1)
      : key === 'Home' ? 0 : key === 'End' ? -1 : null;
  if (next === null) return false;
  items[wrap(next, items.length)]?.focus();
  return true;
}

/** Focuses the first (0) or last (-1) item of a menu. */
export function focusMenuItem(items: readonly HTMLElement[], index: number): void {
  if (items.length > 0) items[wrap(index, items.length)]?.focus();
}
