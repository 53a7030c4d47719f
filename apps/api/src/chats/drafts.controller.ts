import { Body, Controller, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { DraftView } from '@app/contracts';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { SaveDraftDto } from './dto/drafts.dto.js';
import { DraftsService } from './drafts.service.js';

@ApiTags('chats')
@ApiBearerAuth()
@Controller('chats/:chatId/draft')
export class DraftsController {
  constructor(private readonly drafts: DraftsService) {}

  /** Keeps my draft for the chat (every device of mine hears `draft:changed`); '' clears it. */
  @Put()
  save(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Body() dto: SaveDraftDto): Promise<DraftView> {
    return this.drafts.save(me.userId, chatId, dto);
  }
}
