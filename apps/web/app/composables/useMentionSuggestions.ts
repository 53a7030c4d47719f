import type { Ref } from 'vue';
import type { ChatView, MemberView } from '@app/contracts';
import { insertMention, mentionQueryAt } from '~/utils/chat-text';

/** @mention autocomplete in a group's composer: the members matching the word at the caret. */
export function useMentionSuggestions(o: {
  text: Ref<string>;
  caret: Ref<number>;
  box: Ref<HTMLTextAreaElement | null>;
  chat: () => ChatView;
  members: () => MemberView[] | null;
  meId: () => string;
}) {
  const active = ref(0);
  const mention = computed(() => (o.chat().kind === 'group' && o.members() ? mentionQueryAt(o.text.value, o.caret.value) : null));
  const suggestions = computed(() => {
    const m = mention.value;
    const members = o.members();
    if (!m || !members) return [];
    const q = m.query.toLocaleLowerCase();
    return members
      .filter((x) => x.user.id !== o.meId())
      .filter((x) => x.user.username.toLocaleLowerCase().startsWith(q) || x.user.displayName.toLocaleLowerCase().split(/\s+/).some((w) => w.startsWith(q)))
      .slice(0, 6);
  });
  watch(suggestions, () => {
    active.value = 0;
  });

  function pick(member: MemberView): void {
    const m = mention.value;
    if (!m) return;
    const next = insertMention(o.text.value, m.start, o.caret.value, member.user.username);
    o.text.value = next.text;
    void nextTick(() => {
      o.box.value?.setSelectionRange(next.caret, next.caret);
      o.caret.value = next.caret;
      o.box.value?.focus();
    });
  }

  /** Arrows move through the list, Enter or Tab picks; true when the key was taken. */
  function onKey(e: KeyboardEvent): boolean {
    const n = suggestions.value.length;
    if (n === 0) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      active.value = (active.value + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      return true;
    }
    if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      pick(suggestions.value[active.value]!);
      return true;
    }
    return false;
  }

  return { active, suggestions, pick, onKey };
}
