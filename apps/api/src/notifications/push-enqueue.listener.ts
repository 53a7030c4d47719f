import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { withSpoilersHidden, type ChatEvent, type FriendRequestView, type MessageEntity, type PushPayload } from '@app/contracts';
import { ASK, NOTIFY, type ChatNotification, type UsersNotification, type VisibleSessionsQuestion } from '../common/events/notifications.js';
import { UserViewsService } from '../friendships/user-views.service.js';
import { PushRepository, type MessageRecipientRow, type NewJob, type SubscriptionRow } from './push.repository.js';
import { PushSender } from './push-sender.js';

const PREVIEW_MAX = 200;

/** The message as the notification shows it: plain text, spoilers hidden, cut short. */
const preview = (text: string | null, entities: MessageEntity[] = []): string | null => {
  const t = text === null ? undefined : withSpoilersHidden(text, entities).trim();
  if (!t) return null;
  return t.length > PREVIEW_MAX ? `${t.slice(0, PREVIEW_MAX - 1)}…` : t;
};

/**
 * Turns committed messages and incoming friend requests into queued pushes. It runs after the
 * event's emitter returned (the send is acknowledged and broadcast already) and only writes rows;
 * the sender delivers them.
 */
@Injectable()
export class PushEnqueueListener {
  private readonly logger = new Logger(PushEnqueueListener.name);

  constructor(
    private readonly repo: PushRepository,
    private readonly people: UserViewsService,
    private readonly sender: PushSender,
    private readonly events: EventEmitter2,
  ) {}

  @OnEvent(NOTIFY.chat)
  async chatEvent(n: ChatNotification): Promise<void> {
    if (n.event.type !== 'message:created') return;
    await this.safely(() => this.message(n.event as ChatEvent<'message:created'>));
  }

  @OnEvent(NOTIFY.users)
  async usersEvent(n: UsersNotification): Promise<void> {
    if (n.event !== 'friend:request-created') return;
    const request = n.args[0] as FriendRequestView;
    if (request.direction !== 'incoming' || n.userIds.length !== 1) return;
    await this.safely(() => this.friendRequest(n.userIds[0], request));
  }

  private async message(e: ChatEvent<'message:created'>): Promise<void> {
    const m = e.data;
    // Who is looking is asked at once, as the message is broadcast, not after the queries below.
    const visible = this.visible({ chatId: m.chatId, userIds: [], at: Date.now() });
    const rows = await this.repo.messageRecipients(m.chatId, m.senderId, m.mentions);
    const targets = this.hidden(rows, await visible);
    if (targets.length === 0) return;
    const names = new Map<string, string>();
    for (const userId of new Set(targets.map((r) => r.user_id))) {
      const sender = await this.people.view(userId, m.senderId);
      if (sender) names.set(userId, sender.displayName);
    }
    const jobs: NewJob[] = [];
    for (const r of targets as MessageRecipientRow[]) {
      const name = names.get(r.user_id);
      if (name === undefined) continue; // the sender is not visible to this recipient (e.g. blocked them)
      const payload: PushPayload = {
        kind: m.mentions.includes(r.user_id) ? 'mention' : 'message',
        tag: `chat:${m.chatId}`,
        chatId: m.chatId,
        chatTitle: r.custom_name ?? (r.chat_kind === 'group' ? (r.group_title ?? '') : name),
        sender: { id: m.senderId, name },
        preview: r.preview ? preview(m.text, m.entities) : null,
        url: `/?chat=${m.chatId}`,
        seq: m.seq,
      };
      jobs.push({ subscriptionId: r.subscription_id, payload });
    }
    await this.queue(jobs);
  }

  private async friendRequest(userId: string, request: FriendRequestView): Promise<void> {
    const visible = this.visible({ chatId: null, userIds: [userId] });
    const targets = this.hidden(await this.repo.userSubscriptions(userId, request.user.id), await visible);
    const payload: PushPayload = {
      kind: 'friend-request', tag: 'friend-requests', chatId: null, chatTitle: null,
      sender: { id: request.user.id, name: request.user.displayName }, preview: null, url: '/friends', seq: null,
    };
    await this.queue(targets.map((t) => ({ subscriptionId: t.subscription_id, payload })));
  }

  /** The sessions with a visible, connected tab (they see it happen); none when that cannot be told. */
  private async visible(question: VisibleSessionsQuestion): Promise<Set<string>> {
    try {
      const answers = (await this.events.emitAsync(ASK.visibleSessions, question)) as (string[] | undefined)[];
      return new Set(answers.flatMap((a) => a ?? []));
    } catch (err) {
      this.logger.warn({ err }, 'could not tell which tabs are visible; pushing to all');
      return new Set();
    }
  }

  private hidden<R extends SubscriptionRow | MessageRecipientRow>(rows: R[], visible: Set<string>): R[] {
    return rows.filter((r) => !visible.has(r.session_id));
  }

  private async queue(jobs: NewJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.repo.enqueue(jobs);
    this.sender.kick();
  }

  private async safely(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.logger.warn({ err }, 'could not queue push notifications');
    }
  }
}
