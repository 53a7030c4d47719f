import { Injectable } from '@nestjs/common';
import type { AnyChatEvent, SessionClosedReason } from '@app/contracts';
import type { ServerEvent, ServerPayload } from '../common/events/notifications.js';
import { chatRoom, sessionRoom, userRoom, type RealtimeServerType } from './realtime.types.js';

/** Holds the one typed Socket.IO server; the only place that emits to rooms. */
@Injectable()
export class RealtimeServer {
  private server: RealtimeServerType | null = null;

  attach(server: RealtimeServerType): void {
    this.server = server;
  }

  /** The server, or null before the gateway attached it. */
  get attached(): RealtimeServerType | null {
    return this.server;
  }

  get io(): RealtimeServerType {
    if (!this.server) throw new Error('realtime server not attached');
    return this.server;
  }

  toUsers<E extends ServerEvent>(userIds: string[], event: E, ...args: ServerPayload<E>): void {
    if (!this.server || userIds.length === 0) return;
    this.server.to(userIds.map(userRoom)).emit(event, ...args);
  }

  /** A chat event to the chat's room, under the event's own name. */
  toChat(event: AnyChatEvent): void {
    if (!this.server) return;
    (this.server.to(chatRoom(event.chatId)).emit as (name: string, payload: AnyChatEvent) => boolean)(event.type, event);
  }

  typing(chatId: string, userId: string): void {
    this.server?.to(chatRoom(chatId)).except(userRoom(userId)).volatile.emit('chat:typing', { chatId, userId });
  }

  /** Joins or leaves every socket of these users to a chat room, on every instance. */
  rooms(chatId: string, userIds: string[], action: 'join' | 'leave'): void {
    if (!this.server || userIds.length === 0) return;
    const sockets = this.server.in(userIds.map(userRoom));
    if (action === 'join') sockets.socketsJoin(chatRoom(chatId));
    else sockets.socketsLeave(chatRoom(chatId));
  }

  /**
   * The sessions with a connected socket, in a chat's room or these users' rooms on every instance,
   * whose tab was visible at `at` (epoch ms): visible now, or hidden only after it, so a tab that saw
   * a message and was then put away at once is not pushed that message too.
   */
  async visibleSessions(chatId: string | null, userIds: string[], at = Date.now()): Promise<string[]> {
    const rooms = [...(chatId ? [chatRoom(chatId)] : []), ...userIds.map(userRoom)];
    if (!this.server || rooms.length === 0) return [];
    const sockets = await this.server.in(rooms).fetchSockets();
    return [...new Set(sockets.filter((s) => s.data.visible === true || (s.data.hiddenAt ?? 0) > at).map((s) => s.data.sessionId))];
  }

  /** Tells every socket of these sessions why, then disconnects them, on every instance. */
  closeSessions(sessionIds: string[], reason: SessionClosedReason): void {
    if (!this.server || sessionIds.length === 0) return;
    const rooms = sessionIds.map(sessionRoom);
    this.server.to(rooms).emit('session:closed', { reason });
    this.server.in(rooms).disconnectSockets(true);
  }
}
