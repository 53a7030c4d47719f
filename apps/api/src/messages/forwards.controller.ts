import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { ForwardedView } from '@app/contracts';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { ForwardMessagesDto } from './dto/messages.dto.js';
import { ForwardsService } from './forwards.service.js';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('chats/:chatId/forward')
export class ForwardsController {
  constructor(private readonly forwards: ForwardsService) {}

  /**
   * Forwards messages of another chat (or this one) here, as new messages of mine; a retry with
   * the same clientId returns what was stored. 404 for a chat I am not in, 400 for messages I
   * cannot forward (not in fromChatId, deleted, service messages, or a chat I have left).
   */
  @Post()
  forward(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Body() dto: ForwardMessagesDto): Promise<ForwardedView> {
    return this.forwards.forward(me.userId, chatId, dto);
  }
}
