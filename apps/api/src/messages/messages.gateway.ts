import { ConnectedSocket, MessageBody, SubscribeMessage } from '@nestjs/websockets';
import type { ChatEventsView, MessageView, ReadView } from '@app/contracts';
import { AckedGateway } from '../common/sockets/acked-gateway.js';
import type { RealtimeSocket } from '../realtime/realtime.types.js';
import { SocketEditDto, SocketMessageRefDto, SocketReactionDto, SocketReadDto, SocketSendDto, SocketSyncDto } from './dto/messages.dto.js';
import { MessageHidesService } from './message-hides.service.js';
import { MessagesService } from './messages.service.js';
import { ReactionsService } from './reactions.service.js';
import { ReadService } from './read.service.js';
import { SyncService } from './sync.service.js';

/** Socket twins of the REST message routes: the same DTOs and service calls; the framework acks. */
@AckedGateway()
export class MessagesGateway {
  constructor(
    private readonly messages: MessagesService,
    private readonly reactions: ReactionsService,
    private readonly reads: ReadService,
    private readonly sync: SyncService,
    private readonly hides: MessageHidesService,
  ) {}

  @SubscribeMessage('message:send')
  async send(@ConnectedSocket() s: RealtimeSocket, @MessageBody() { chatId, ...req }: SocketSendDto): Promise<MessageView> {
    return (await this.messages.send(s.data.userId, chatId, req)).message;
  }

  @SubscribeMessage('message:edit')
  edit(@ConnectedSocket() s: RealtimeSocket, @MessageBody() dto: SocketEditDto): Promise<MessageView> {
    return this.messages.edit(s.data.userId, dto.chatId, dto.messageId, dto);
  }

  @SubscribeMessage('message:delete')
  remove(@ConnectedSocket() s: RealtimeSocket, @MessageBody() dto: SocketMessageRefDto): Promise<MessageView> {
    return this.messages.remove(s.data.userId, dto.chatId, dto.messageId);
  }

  @SubscribeMessage('message:hide')
  async hide(@ConnectedSocket() s: RealtimeSocket, @MessageBody() dto: SocketMessageRefDto): Promise<null> {
    await this.hides.hide(s.data.userId, dto.chatId, dto.messageId);
    return null;
  }

  @SubscribeMessage('reaction:set')
  react(@ConnectedSocket() s: RealtimeSocket, @MessageBody() dto: SocketReactionDto): Promise<MessageView> {
    return this.reactions.set(s.data.userId, dto.chatId, dto.messageId, dto.emoji, dto.on);
  }

  @SubscribeMessage('chat:read')
  read(@ConnectedSocket() s: RealtimeSocket, @MessageBody() dto: SocketReadDto): Promise<ReadView> {
    return this.reads.markRead(s.data.userId, dto.chatId, dto.seq);
  }

  @SubscribeMessage('chat:sync')
  catchUp(@ConnectedSocket() s: RealtimeSocket, @MessageBody() dto: SocketSyncDto): Promise<ChatEventsView> {
    return this.sync.eventsAfter(s.data.userId, dto.chatId, dto.after);
  }
}
