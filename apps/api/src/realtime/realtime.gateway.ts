import { Inject, Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Ack } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AuthService } from '../auth/auth.service.js';
import { toAck } from '../common/errors/to-ack.js';
import { PresenceService } from '../presence/presence.service.js';
import { runBeforeConnect } from './before-connect.js';
import { HandshakeError, realtimeAuth } from './realtime.auth.js';
import { RealtimeServer } from './realtime.server.js';
import { sessionRoom, userRoom, type RealtimeServerType, type RealtimeSocket } from './realtime.types.js';

const MAX_TIMER_MS = 2_147_000_000;

/** The connection itself: handshake auth, personal rooms, presence, token expiry. */
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(RealtimeGateway.name);
  private readonly expiry = new Map<string, NodeJS.Timeout>();
  private readonly perUser = new Map<string, number>();

  constructor(
    private readonly realtime: RealtimeServer,
    private readonly auth: AuthService,
    private readonly presence: PresenceService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  afterInit(server: RealtimeServerType): void {
    this.realtime.attach(server);
    server.use(realtimeAuth(this.auth, this.config.corsOrigins, (id) => this.perUser.get(id) ?? 0));
    // Every room a socket belongs to is joined before the client hears "connect".
    server.use((socket, next) => {
      Promise.resolve(socket.join([userRoom(socket.data.userId), sessionRoom(socket.data.sessionId)]))
        .then(() => runBeforeConnect(server, socket))
        .then(
          () => next(),
          (e: unknown) => {
            this.logger.warn({ err: e }, 'socket setup failed');
            next(new HandshakeError('UNAVAILABLE'));
          },
        );
    });
  }

  async handleConnection(socket: RealtimeSocket): Promise<void> {
    const { userId, tokenExpiresAt } = socket.data;
    this.perUser.set(userId, (this.perUser.get(userId) ?? 0) + 1);
    const timer = setTimeout(() => {
      socket.emit('session:closed', { reason: 'TOKEN_EXPIRED' });
      socket.disconnect(true);
    }, Math.min(Math.max(tokenExpiresAt - Date.now(), 0), MAX_TIMER_MS));
    timer.unref();
    this.expiry.set(socket.id, timer);
    this.logger.debug(`socket ${socket.id} connected for user ${userId}`);
    await this.presence.connected(userId).catch((e: unknown) => this.logger.warn({ err: e }, 'presence connect failed'));
  }

  async handleDisconnect(socket: RealtimeSocket): Promise<void> {
    clearTimeout(this.expiry.get(socket.id));
    this.expiry.delete(socket.id);
    const userId = socket.data.userId;
    if (!userId) return;
    const left = (this.perUser.get(userId) ?? 1) - 1;
    if (left > 0) this.perUser.set(userId, left);
    else this.perUser.delete(userId);
    await this.presence.disconnected(userId).catch((e: unknown) => this.logger.warn({ err: e }, 'presence disconnect failed'));
  }

  @SubscribeMessage('ping')
  ping(@ConnectedSocket() _socket: RealtimeSocket, @MessageBody() _body: unknown): Promise<Ack<{ now: string }>> {
    return toAck(async () => ({ now: new Date().toISOString() }));
  }
}
