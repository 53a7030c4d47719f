import { ConnectedSocket, MessageBody, SubscribeMessage } from '@nestjs/websockets';
import { AckedGateway } from '../../common/sockets/acked-gateway.js';
import { SocketMessageRefDto } from '../dto/messages.dto.js';
import type { RealtimeSocket } from '../../realtime/realtime.types.js';
import { LinkPreviewsService } from './link-previews.service.js';

/** Socket twin of DELETE /chats/:chatId/messages/:messageId/preview. */
@AckedGateway()
export class LinkPreviewsGateway {
  constructor(private readonly previews: LinkPreviewsService) {}

  @SubscribeMessage('message:preview-remove')
  async remove(@ConnectedSocket() s: RealtimeSocket, @MessageBody() dto: SocketMessageRefDto): Promise<null> {
    await this.previews.remove(s.data.userId, dto.chatId, dto.messageId);
    return null;
  }
}
