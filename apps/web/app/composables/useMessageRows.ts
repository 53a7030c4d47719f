import type { ComputedRef, Ref } from 'vue';
import { parseMarks, type ChatView, type ImageView, type MemberView, type MessageView } from '@app/contracts';
import { usePresenceStore } from '~/stores/presence';
import { seenBy } from '~/utils/chat-apply';
import { dayKey, dayLabel } from '~/utils/chat-format';
import type { OutboxItem } from '~/utils/chat-outbox';
import type { DeliveryState, ReactionChip } from '~/components/chat/MessageBubble.vue';

const GROUP_GAP_MS = 5 * 60_000;

export interface MsgRow {
  kind: 'msg';
  key: string;
  m: MessageView;
  item: OutboxItem | null;
  mine: boolean;
  firstOfRun: boolean;
  lastOfRun: boolean;
}
export type Row = { kind: 'day'; key: string; label: string } | { kind: 'unread'; key: string } | MsgRow;

interface Inputs {
  chat: () => ChatView;
  meId: () => string;
  members: () => MemberView[] | null;
  items: ComputedRef<MessageView[]>;
  pending: ComputedRef<OutboxItem[]>;
  dividerSeq: Ref<number | null>;
}

/** A pending outbox entry drawn like a message (after every stored one). */
function pendingAsMessage(p: OutboxItem): MessageView {
  const { text, entities } = parseMarks(p.text);
  return {
    id: `pending:${p.clientId}`, chatId: p.chatId, seq: Number.MAX_SAFE_INTEGER, senderId: p.senderId, clientId: p.clientId,
    text, entities, service: null, replyTo: p.replyTo, forwardedFrom: null, mentions: [], reactions: [], attachments: p.media, preview: null, listenedBy: [], createdAt: p.createdAt, editedAt: null, deletedAt: null,
  };
}

/**
 * The rows of a conversation (day separators, the unread divider, messages grouped into runs per
 * sender) and what each message row shows: delivery state, "seen by", reactions, avatar.
 */
export function useMessageRows(input: Inputs) {
  const { t, locale } = useI18n();
  const timeZone = useTimeZone();
  const presence = usePresenceStore();
  const byUser = computed(() => new Map((input.members() ?? []).map((m) => [m.user.id, m.user])));
  /** Names that service messages recorded: people who have left are still named, not "Someone". */
  const formerNames = computed(() => {
    const out = new Map<string, string>();
    for (const m of input.items.value) {
      const s = m.service;
      if (!s) continue;
      for (const u of [s.actor, ...('users' in s ? s.users : []), ...('user' in s ? [s.user] : [])]) if (u.name) out.set(u.id, u.name);
    }
    return out;
  });

  function nameOf(userId: string): string {
    const chat = input.chat();
    if (userId === input.meId()) return t('chat.msg.you');
    if (chat.peer?.id === userId) return chat.peer.displayName;
    return byUser.value.get(userId)?.displayName ?? formerNames.value.get(userId) ?? t('chat.msg.unknown');
  }

  function dayText(iso: string): string {
    const label = dayLabel(iso, presence.now, locale.value, timeZone.value);
    return label === 'today' ? t('chat.conv.today') : label === 'yesterday' ? t('chat.conv.yesterday') : label;
  }

  const rows = computed<Row[]>(() => {
    const out: Row[] = [];
    const all: { m: MessageView; item: OutboxItem | null }[] = [
      ...input.items.value.map((m) => ({ m, item: null })),
      ...input.pending.value.map((p) => ({ m: pendingAsMessage(p), item: p })),
    ];
    let lastDay = '';
    let prev: MsgRow | null = null;
    for (const { m, item } of all) {
      const day = dayKey(m.createdAt, timeZone.value);
      let broken = false;
      if (day !== lastDay) {
        out.push({ kind: 'day', key: `day:${day}`, label: dayText(m.createdAt) });
        lastDay = day;
        broken = true;
      }
      if (!item && m.seq === input.dividerSeq.value) {
        out.push({ kind: 'unread', key: 'unread' });
        broken = true;
      }
      // A service line stands alone: it ends the run before it and starts none.
      const continues = !broken && prev !== null && !prev.m.service && !m.service && prev.m.senderId === m.senderId && Date.parse(m.createdAt) - Date.parse(prev.m.createdAt) < GROUP_GAP_MS;
      if (prev && !continues) prev.lastOfRun = true;
      const row: MsgRow = { kind: 'msg', key: item ? `p:${item.clientId}` : m.id, m, item, mine: m.senderId === input.meId(), firstOfRun: !continues, lastOfRun: false };
      out.push(row);
      prev = row;
    }
    if (prev) prev.lastOfRun = true;
    return out;
  });

  function delivery(row: MsgRow): DeliveryState {
    const chat = input.chat();
    if (row.item) return row.item.state === 'failed' ? 'failed' : 'pending';
    if (!row.mine || row.m.deletedAt) return null;
    if (chat.kind === 'direct') return chat.peerReadSeq !== null && row.m.seq <= chat.peerReadSeq ? 'seen' : 'sent';
    const members = input.members();
    return members && seenBy(members, row.m, input.meId()).length > 0 ? 'seen' : 'sent';
  }

  function seenTitle(row: MsgRow): string | null {
    const members = input.members();
    if (input.chat().kind !== 'group' || !members || !row.mine || row.item) return null;
    const who = seenBy(members, row.m, input.meId());
    return who.length > 0 ? t('chat.msg.seenBy', { names: who.map((x) => x.user.displayName).join(', ') }) : t('chat.msg.seenByNobody');
  }

  function chips(m: MessageView): ReactionChip[] {
    const me = input.meId();
    return m.reactions
      .filter((r) => r.userIds.length > 0)
      .map((r) => ({ emoji: r.emoji, count: r.userIds.length, mine: r.userIds.includes(me), names: r.userIds.map(nameOf).join(', ') }));
  }

  function avatarFor(row: MsgRow): { name: string; image: ImageView | null } {
    if (input.chat().kind !== 'group' || row.mine) return { name: '', image: null };
    const u = byUser.value.get(row.m.senderId);
    return { name: u?.displayName ?? nameOf(row.m.senderId), image: u?.avatar ?? null };
  }

  /** The day label in force at row `index` (the nearest day separator at or above it). */
  function dayAt(index: number): string | null {
    for (let i = Math.min(index, rows.value.length - 1); i >= 0; i -= 1) {
      const row = rows.value[i];
      if (row?.kind === 'day') return row.label;
    }
    return null;
  }

  return { rows, nameOf, delivery, seenTitle, chips, avatarFor, dayAt };
}
