import type { MessageView } from '@app/contracts';
import type { ContextAction } from '~/components/chat/MessageContextMenu.vue';

const QUICK = ['👍', '❤️', '😂', '😮', '😢', '🙏'];
const LONG_PRESS_MS = 500;

/**
 * Where and for which message the context menu opens: a right-click, a long press on a touch
 * screen (held still for half a second) or the keyboard's menu key (Shift+F10) on a message.
 * The handlers go on the list's scroller; `onOpen` closes other menus.
 */
export function useMessageContextMenu(
  items: Ref<MessageView[]>,
  meId: () => string,
  onOpen: () => void,
  pinAction: (m: MessageView) => 'pin' | 'unpin' | null,
) {
  const ctx = ref<{ m: MessageView; x: number; y: number } | null>(null);
  let press: { x: number; y: number; timer: ReturnType<typeof setTimeout> } | null = null;
  /** A long press opened the menu: the click that ends it must not also act on the bubble. */
  let swallowClick = false;

  /** The stored, not deleted message under an element (pending and service rows have no menu). */
  function messageAt(target: EventTarget | null): MessageView | null {
    const el = target instanceof Element ? target.closest<HTMLElement>('[data-testid=message]') : null;
    const id = el?.dataset.messageId;
    if (!id || id.startsWith('pending:')) return null;
    const m = items.value.find((x) => x.id === id);
    return m && !m.deletedAt && !m.service ? m : null;
  }

  function open(m: MessageView, x: number, y: number): void {
    onOpen();
    ctx.value = { m, x, y };
  }

  function onContextMenu(e: MouseEvent): void {
    const m = messageAt(e.target);
    if (!m) return;
    e.preventDefault();
    if (ctx.value?.m.id === m.id) return;
    if (e.clientX === 0 && e.clientY === 0 && e.target instanceof Element) {
      // From the keyboard: under the focused element.
      const r = e.target.getBoundingClientRect();
      open(m, r.left + 8, r.bottom);
    } else open(m, e.clientX, e.clientY);
  }

  function cancelPress(): void {
    if (press) clearTimeout(press.timer);
    press = null;
  }

  function onPointerDown(e: PointerEvent): void {
    swallowClick = false;
    if (e.pointerType !== 'touch') return;
    const m = messageAt(e.target);
    cancelPress();
    if (!m) return;
    const { clientX: x, clientY: y } = e;
    press = {
      x,
      y,
      timer: setTimeout(() => {
        press = null;
        swallowClick = true;
        open(m, x, y);
      }, LONG_PRESS_MS),
    };
  }

  function onPointerMove(e: PointerEvent): void {
    if (press && Math.hypot(e.clientX - press.x, e.clientY - press.y) > 10) cancelPress();
  }

  function onClickCapture(e: MouseEvent): void {
    if (!swallowClick) return;
    swallowClick = false;
    e.preventDefault();
    e.stopPropagation();
  }

  function onMenuKey(e: KeyboardEvent): void {
    if (e.key !== 'ContextMenu' && !(e.shiftKey && e.key === 'F10')) return;
    const el = document.activeElement;
    const m = messageAt(el);
    if (!m || !(el instanceof HTMLElement)) return;
    e.preventDefault();
    const r = el.getBoundingClientRect();
    open(m, r.left + 8, r.bottom);
  }

  function contextActions(m: MessageView): ContextAction[] {
    const mine = m.senderId === meId();
    const out: ContextAction[] = ['reply', 'forward', 'select'];
    const pin = pinAction(m);
    if (pin) out.push(pin);
    if (m.text) out.push('copy');
    if (mine && m.text !== null) out.push('edit');
    if (mine) out.push('delete');
    return out;
  }

  function contextReactions(m: MessageView): { emoji: string; mine: boolean }[] {
    return QUICK.map((emoji) => ({ emoji, mine: m.reactions.some((r) => r.emoji === emoji && r.userIds.includes(meId())) }));
  }

  return { ctx, onContextMenu, onPointerDown, onPointerMove, cancelPress, onClickCapture, onMenuKey, contextActions, contextReactions };
}
