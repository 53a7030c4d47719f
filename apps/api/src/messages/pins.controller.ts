import { Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { PinView, PinsView } from '@app/contracts';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { PinsService } from './pins.service.js';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('chats/:chatId/pins')
export class PinsController {
  constructor(private readonly pins: PinsService) {}

  /** The chat's pinned messages, most recently pinned first. */
  @Get()
  list(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string): Promise<PinsView> {
    return this.pins.list(me.userId, chatId);
  }

  /** Pins a message (admins in a group, either person in a dialog); 409 past 100 pins. */
  @Put(':messageId')
  pin(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Param('messageId') messageId: string): Promise<PinView> {
    return this.pins.pin(me.userId, chatId, messageId);
  }

  @Delete(':messageId')
  @HttpCode(204)
  unpin(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Param('messageId') messageId: string): Promise<void> {
    return this.pins.unpin(me.userId, chatId, messageId);
  }
}
