import { ConnectedSocket, MessageBody, SubscribeMessage } from '@nestjs/websockets';
import type { ForwardedView } from '@app/contracts';
import { AckedGateway } from '../common/sockets/acked-gateway.js';
import type { RealtimeSocket } from '../realtime/realtime.types.js';
import { SocketForwardDto } from './dto/messages.dto.js';
import { ForwardsService } from './forwards.service.js';

/** The socket twin of POST /chats/:chatId/forward: the same DTO and service call. */
@AckedGateway()
export class ForwardsGateway {
  constructor(private readonly forwards: ForwardsService) {}

  @SubscribeMessage('message:forward')
  forward(@ConnectedSocket() s: RealtimeSocket, @MessageBody() { chatId, ...req }: SocketForwardDto): Promise<ForwardedView> {
    return this.forwards.forward(s.data.userId, chatId, req);
  }
}
