import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { MessageView } from '@app/contracts';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { ListensService } from './listens.service.js';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('chats/:chatId/messages/:messageId/listened')
export class ListensController {
  constructor(private readonly listens: ListensService) {}

  /** I played the message's voice message (the first play of a member other than the sender is kept); answers the message. */
  @Post()
  @HttpCode(200)
  listened(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Param('messageId') messageId: string): Promise<MessageView> {
    return this.listens.listened(me.userId, chatId, messageId);
  }
}
