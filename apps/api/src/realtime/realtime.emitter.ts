import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AUTH_EVENTS, type SessionsClosedEvent } from '../auth/auth.events.js';
import { ASK, NOTIFY, type VisibleSessionsQuestion, type ChatNotification, type RoomsNotification, type TypingNotification, type UsersNotification } from '../common/events/notifications.js';
import { USER_EVENTS, type UserUpdatedEvent } from '../users/users.events.js';
import { RealtimeServer } from './realtime.server.js';

/** Turns domain events into socket emissions; nothing else in the API talks to sockets. */
@Injectable()
export class RealtimeEmitter {
  constructor(private readonly realtime: RealtimeServer) {}

  @OnEvent(NOTIFY.users)
  notifyUsers(n: UsersNotification): void {
    this.realtime.toUsers(n.userIds, n.event, ...n.args);
  }

  @OnEvent(NOTIFY.chat)
  notifyChat(n: ChatNotification): void {
    this.realtime.toChat(n.event);
  }

  /** Answers which sessions have a visible tab (their devices get no push notifications). */
  @OnEvent(ASK.visibleSessions)
  visibleSessions(q: VisibleSessionsQuestion): Promise<string[]> {
    return this.realtime.visibleSessions(q.chatId, q.userIds, q.at);
  }

  @OnEvent(NOTIFY.rooms)
  rooms(n: RoomsNotification): void {
    this.realtime.rooms(n.chatId, n.userIds, n.action);
  }

  @OnEvent(NOTIFY.typing)
  typing(n: TypingNotification): void {
    this.realtime.typing(n.chatId, n.userId);
  }

  @OnEvent(AUTH_EVENTS.sessionsClosed)
  sessionsClosed(e: SessionsClosedEvent): void {
    this.realtime.closeSessions(e.sessionIds, e.reason);
  }

  @OnEvent(USER_EVENTS.updated)
  userUpdated(e: UserUpdatedEvent): void {
    this.realtime.toUsers([e.userId], 'me:updated', e.me);
  }
}
