import { ConnectedSocket, MessageBody, SubscribeMessage } from '@nestjs/websockets';
import type { MessageView } from '@app/contracts';
import { AckedGateway } from '../common/sockets/acked-gateway.js';
import type { RealtimeSocket } from '../realtime/realtime.types.js';
import { SocketMessageRefDto } from './dto/messages.dto.js';
import { ListensService } from './listens.service.js';

/** Socket twin of the listened route: the same DTO shape and service call. */
@AckedGateway()
export class ListensGateway {
  constructor(private readonly listens: ListensService) {}

  @SubscribeMessage('message:listen')
  listen(@ConnectedSocket() s: RealtimeSocket, @MessageBody() dto: SocketMessageRefDto): Promise<MessageView> {
    return this.listens.listened(s.data.userId, dto.chatId, dto.messageId);
  }
}
