import { ConnectedSocket, MessageBody, SubscribeMessage } from '@nestjs/websockets';
import type { MessageHistoryView, PinView, PinsView } from '@app/contracts';
import { SocketChatRefDto } from '../chats/dto/chats.dto.js';
import { AckedGateway } from '../common/sockets/acked-gateway.js';
import type { RealtimeSocket } from '../realtime/realtime.types.js';
import { SocketMessageRefDto } from './dto/messages.dto.js';
import { EditHistoryService } from './edit-history.service.js';
import { PinsService } from './pins.service.js';

/** Socket twins of the pin and edit-history routes: the same DTO shapes and service calls. */
@AckedGateway()
export class PinsGateway {
  constructor(
    private readonly pins: PinsService,
    private readonly editHistory: EditHistoryService,
  ) {}

  @SubscribeMessage('pin:list')
  list(@ConnectedSocket() s: RealtimeSocket, @MessageBody() dto: SocketChatRefDto): Promise<PinsView> {
    return this.pins.list(s.data.userId, dto.chatId);
  }

  @SubscribeMessage('pin:add')
  pin(@ConnectedSocket() s: RealtimeSocket, @MessageBody() dto: SocketMessageRefDto): Promise<PinView> {
    return this.pins.pin(s.data.userId, dto.chatId, dto.messageId);
  }

  @SubscribeMessage('pin:remove')
  async unpin(@ConnectedSocket() s: RealtimeSocket, @MessageBody() dto: SocketMessageRefDto): Promise<null> {
    await this.pins.unpin(s.data.userId, dto.chatId, dto.messageId);
    return null;
  }

  @SubscribeMessage('message:history')
  history(@ConnectedSocket() s: RealtimeSocket, @MessageBody() dto: SocketMessageRefDto): Promise<MessageHistoryView> {
    return this.editHistory.history(s.data.userId, dto.chatId, dto.messageId);
  }
}
