import { focusMenuItem, moveMenuFocus } from '~/utils/menu-focus';
import type { Ref } from 'vue';

/**
 * Keyboard for a menu button and its menu (WAI-ARIA menu button, as ActionMenu does): opening
 * moves focus to the first item (↑ on the button: the last); ↑ ↓ Home End move between items,
 * Esc closes and gives focus back to the button, Tab closes.
 */
export function useMenuKeyboard(open: () => boolean, setOpen: (open: boolean) => void) {
  const button = ref<HTMLButtonElement | null>(null);
  const menu = ref<HTMLElement | null>(null) as Ref<HTMLElement | null>;
  let startAt: 'first' | 'last' = 'first';

  function items(): HTMLElement[] {
    return Array.from(menu.value?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? []);
  }

  function focusAt(index: number): void {
    focusMenuItem(items(), index);
  }

  watch(open, async (now) => {
    if (!now) return;
    await nextTick();
    focusAt(startAt === 'first' ? 0 : -1);
    startAt = 'first';
  });

  function onButtonKey(e: KeyboardEvent): void {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    startAt = e.key === 'ArrowDown' ? 'first' : 'last';
    if (open()) focusAt(startAt === 'first' ? 0 : -1);
    else setOpen(true);
  }

  function onMenuKey(e: KeyboardEvent): void {
    if (e.key === 'Tab') return setOpen(false);
    if (e.key !== 'Escape' && !moveMenuFocus(items(), e.key)) return;
    e.preventDefault();
    e.stopPropagation();
    if (e.key === 'Escape') {
      setOpen(false);
      button.value?.focus();
    }
  }

  return { button, menu, onButtonKey, onMenuKey };
}
