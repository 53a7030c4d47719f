import { Inject, Logger } from '@nestjs/common';
import { ConnectedSocket, MessageBody, type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit, SubscribeMessage } from '@nestjs/websockets';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AuthService } from '../auth/auth.service.js';
import { AckedGateway } from '../common/sockets/acked-gateway.js';
import { VisibilityDto } from './dto/visibility.dto.js';
import { PresenceService } from '../presence/presence.service.js';
import { runBeforeConnect } from './before-connect.js';
import { GracefulShutdown } from './graceful-shutdown.js';
import { HandshakeError, realtimeAuth } from './realtime.auth.js';
import { RealtimeServer } from './realtime.server.js';
import { SocketSlots } from './socket-slots.js';
import { sessionRoom, userRoom, type RealtimeServerType, type RealtimeSocket } from './realtime.types.js';

const MAX_TIMER_MS = 2_147_000_000;

/** The connection itself: handshake auth, personal rooms, presence, token expiry. */
@AckedGateway()
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(RealtimeGateway.name);
  private readonly expiry = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly realtime: RealtimeServer,
    private readonly auth: AuthService,
    private readonly presence: PresenceService,
    private readonly shutdown: GracefulShutdown,
    private readonly slots: SocketSlots,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  afterInit(server: RealtimeServerType): void {
    this.realtime.attach(server);
    // A stopping instance takes no new sockets: the client retries and lands on another instance.
    server.use((_socket, next) => next(this.shutdown.isDraining ? new HandshakeError('UNAVAILABLE') : undefined));
    server.use(realtimeAuth(this.auth, this.config.corsOrigins, this.slots));
    // Every room a socket belongs to is joined before the client hears "connect".
    server.use((socket, next) => {
      Promise.resolve(socket.join([userRoom(socket.data.userId), sessionRoom(socket.data.sessionId)]))
        .then(() => runBeforeConnect(server, socket))
        .then(
          () => next(),
          (e: unknown) => {
            this.logger.warn({ err: e }, 'socket setup failed');
            this.slots.release(socket.data.userId, socket.id);
            next(new HandshakeError('UNAVAILABLE'));
          },
        );
    });
  }

  async handleConnection(socket: RealtimeSocket): Promise<void> {
    this.shutdown.track(socket);
    const { userId, tokenExpiresAt } = socket.data;
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
    this.slots.release(userId, socket.id);
    await this.presence.disconnected(userId).catch((e: unknown) => this.logger.warn({ err: e }, 'presence disconnect failed'));
  }

  /** The tab tells whether it is visible: a visible, connected tab keeps push notifications off for its session. */
  @SubscribeMessage('presence:visibility')
  visibility(@ConnectedSocket() socket: RealtimeSocket, @MessageBody() dto: VisibilityDto): null {
    if (socket.data.visible === true && !dto.visible) socket.data.hiddenAt = Date.now();
    socket.data.visible = dto.visible;
    return null;
  }

  @SubscribeMessage('ping')
  ping(): { now: string } {
    return { now: new Date().toISOString() };
  }
}
