import { Logger } from '@nestjs/common';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Ack, ChatEventsView, MessageView, ReadView } from '@app/contracts';
import { toAck } from '../common/errors/to-ack.js';
import { validateDto } from '../common/errors/validate-dto.js';
import type { RealtimeSocket } from '../realtime/realtime.types.js';
import { SocketEditDto, SocketMessageRefDto, SocketReactionDto, SocketReadDto, SocketSendDto, SocketSyncDto } from './dto/messages.dto.js';
import { MessagesService } from './messages.service.js';
import { ReactionsService } from './reactions.service.js';
import { ReadService } from './read.service.js';
import { SyncService } from './sync.service.js';

/** Socket twins of the REST message routes: validate, call the same service, ack exactly once. */
@WebSocketGateway()
export class MessagesGateway {
  private readonly logger = new Logger(MessagesGateway.name);
  private readonly bug = (e: unknown): void => this.logger.error({ err: e }, 'socket handler failed');

  constructor(
    private readonly messages: MessagesService,
    private readonly reactions: ReactionsService,
    private readonly reads: ReadService,
    private readonly sync: SyncService,
  ) {}

  @SubscribeMessage('message:send')
  send(@ConnectedSocket() s: RealtimeSocket, @MessageBody() body: unknown): Promise<Ack<MessageView>> {
    return toAck(async () => {
      const { chatId, ...req } = await validateDto(SocketSendDto, body);
      return (await this.messages.send(s.data.userId, chatId, req)).message;
    }, this.bug);
  }

  @SubscribeMessage('message:edit')
  edit(@ConnectedSocket() s: RealtimeSocket, @MessageBody() body: unknown): Promise<Ack<MessageView>> {
    return toAck(async () => {
      const dto = await validateDto(SocketEditDto, body);
      return this.messages.edit(s.data.userId, dto.chatId, dto.messageId, dto);
    }, this.bug);
  }

  @SubscribeMessage('message:delete')
  remove(@ConnectedSocket() s: RealtimeSocket, @MessageBody() body: unknown): Promise<Ack<MessageView>> {
    return toAck(async () => {
      const dto = await validateDto(SocketMessageRefDto, body);
      return this.messages.remove(s.data.userId, dto.chatId, dto.messageId);
    }, this.bug);
  }

  @SubscribeMessage('reaction:set')
  react(@ConnectedSocket() s: RealtimeSocket, @MessageBody() body: unknown): Promise<Ack<MessageView>> {
    return toAck(async () => {
      const dto = await validateDto(SocketReactionDto, body);
      return this.reactions.set(s.data.userId, dto.chatId, dto.messageId, dto.emoji, dto.on);
    }, this.bug);
  }

  @SubscribeMessage('chat:read')
  read(@ConnectedSocket() s: RealtimeSocket, @MessageBody() body: unknown): Promise<Ack<ReadView>> {
    return toAck(async () => {
      const dto = await validateDto(SocketReadDto, body);
      return this.reads.markRead(s.data.userId, dto.chatId, dto.seq);
    }, this.bug);
  }

  @SubscribeMessage('chat:sync')
  catchUp(@ConnectedSocket() s: RealtimeSocket, @MessageBody() body: unknown): Promise<Ack<ChatEventsView>> {
    return toAck(async () => {
      const dto = await validateDto(SocketSyncDto, body);
      return this.sync.eventsAfter(s.data.userId, dto.chatId, dto.after);
    }, this.bug);
  }
}
