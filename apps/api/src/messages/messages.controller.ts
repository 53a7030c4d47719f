import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ChatEventsView, HiddenMessagesView, HistoryView, MessageHistoryView, MessageView, ReadView } from '@app/contracts';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { EditMessageDto, EventsQueryDto, HiddenQueryDto, HistoryQueryDto, ReadDto, SendMessageDto } from './dto/messages.dto.js';
import { EditHistoryService } from './edit-history.service.js';
import { MessageHidesService } from './message-hides.service.js';
import { MessagesService } from './messages.service.js';
import { ReactionsService } from './reactions.service.js';
import { ReadService } from './read.service.js';
import { SyncService } from './sync.service.js';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('chats/:chatId')
export class MessagesController {
  constructor(
    private readonly messages: MessagesService,
    private readonly reactions: ReactionsService,
    private readonly reads: ReadService,
    private readonly sync: SyncService,
    private readonly editHistory: EditHistoryService,
    private readonly hides: MessageHidesService,
  ) {}

  @Get('messages')
  history(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Query() q: HistoryQueryDto): Promise<HistoryView> {
    return this.sync.history(me.userId, chatId, q);
  }

  /** 201 when stored, 200 when the client id was already used (the stored message is returned). */
  @Post('messages')
  async send(
    @CurrentUser() me: AuthUser,
    @Param('chatId') chatId: string,
    @Body() dto: SendMessageDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MessageView> {
    const sent = await this.messages.send(me.userId, chatId, dto);
    res.status(sent.created ? 201 : 200);
    return sent.message;
  }

  @Patch('messages/:messageId')
  edit(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Param('messageId') id: string, @Body() dto: EditMessageDto): Promise<MessageView> {
    return this.messages.edit(me.userId, chatId, id, dto);
  }

  /** Earlier versions of the message for every member; a deleted message has none (404). */
  @Get('messages/:messageId/history')
  versions(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Param('messageId') id: string): Promise<MessageHistoryView> {
    return this.editHistory.history(me.userId, chatId, id);
  }

  @Delete('messages/:messageId')
  remove(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Param('messageId') id: string): Promise<MessageView> {
    return this.messages.remove(me.userId, chatId, id);
  }

  /** Delete for me: the message leaves my history on all my devices; the others keep it. */
  @Post('messages/:messageId/hide')
  @HttpCode(204)
  hide(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Param('messageId') id: string): Promise<void> {
    return this.hides.hide(me.userId, chatId, id);
  }

  /** The messages I deleted for myself in this chat, from a seq on (a device back online drops them). */
  @Get('hidden')
  hidden(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Query() q: HiddenQueryDto): Promise<HiddenMessagesView> {
    return this.hides.list(me.userId, chatId, q.from);
  }

  @Put('messages/:messageId/reactions/:emoji')
  react(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Param('messageId') id: string, @Param('emoji') emoji: string): Promise<MessageView> {
    return this.reactions.set(me.userId, chatId, id, emoji, true);
  }

  @Delete('messages/:messageId/reactions/:emoji')
  unreact(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Param('messageId') id: string, @Param('emoji') emoji: string): Promise<MessageView> {
    return this.reactions.set(me.userId, chatId, id, emoji, false);
  }

  @Post('read')
  @HttpCode(200)
  read(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Body() dto: ReadDto): Promise<ReadView> {
    return this.reads.markRead(me.userId, chatId, dto.seq);
  }

  @Get('events')
  events(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Query() q: EventsQueryDto): Promise<ChatEventsView> {
    return this.sync.eventsAfter(me.userId, chatId, q.after);
  }
}
