import { ConnectedSocket, MessageBody, SubscribeMessage } from '@nestjs/websockets';
import type { DraftView } from '@app/contracts';
import { AckedGateway } from '../common/sockets/acked-gateway.js';
import type { RealtimeSocket } from '../realtime/realtime.types.js';
import { SocketSaveDraftDto } from './dto/drafts.dto.js';
import { DraftsService } from './drafts.service.js';

/** The socket twin of PUT /api/chats/:chatId/draft. */
@AckedGateway()
export class DraftsGateway {
  constructor(private readonly drafts: DraftsService) {}

  @SubscribeMessage('draft:save')
  save(@ConnectedSocket() s: RealtimeSocket, @MessageBody() { chatId, ...req }: SocketSaveDraftDto): Promise<DraftView> {
    return this.drafts.save(s.data.userId, chatId, req);
  }
}
