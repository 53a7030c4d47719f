import { Logger } from '@nestjs/common';
import { ConnectedSocket, MessageBody, type OnGatewayInit, SubscribeMessage } from '@nestjs/websockets';
import { DomainError } from '../common/errors/domain-error.js';
import { AckedGateway, Ephemeral } from '../common/sockets/acked-gateway.js';
import { beforeConnect } from '../realtime/before-connect.js';
import type { RealtimeServerType, RealtimeSocket } from '../realtime/realtime.types.js';
import { chatRoom } from '../realtime/realtime.types.js';
import { ChatsRepository } from './chats.repository.js';
import { TypingService } from './typing.service.js';
import { SocketChatRefDto } from './dto/chats.dto.js';

/** Puts each new socket in the rooms of its user's chats (before it counts as connected); relays typing. */
@AckedGateway()
export class ChatsGateway implements OnGatewayInit {
  private readonly logger = new Logger(ChatsGateway.name);

  constructor(
    private readonly chats: ChatsRepository,
    private readonly typingService: TypingService,
  ) {}

  afterInit(server: RealtimeServerType): void {
    beforeConnect(server, async (socket) => {
      const ids = await this.chats.chatIdsOf(socket.data.userId);
      await socket.join(ids.map(chatRoom));
      this.logger.debug(`socket ${socket.id} joined ${ids.length} chat rooms`);
    });
  }

  /** Fire-and-forget allowed: a typing hint is worthless when late and harmless when lost. */
  @Ephemeral()
  @SubscribeMessage('chat:typing')
  async typing(@ConnectedSocket() socket: RealtimeSocket, @MessageBody() dto: SocketChatRefDto): Promise<null> {
    if (!socket.rooms.has(chatRoom(dto.chatId))) throw DomainError.notFound();
    await this.typingService.typing(socket.data.userId, dto.chatId);
    return null;
  }
}
