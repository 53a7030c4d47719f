import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CountersView } from '@app/contracts';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { FriendshipsService } from '../friendships/friendships.service.js';
import { ChatsRepository } from './chats.repository.js';

@ApiTags('chats')
@ApiBearerAuth()
@Controller('me')
export class CountersController {
  constructor(
    private readonly friendships: FriendshipsService,
    private readonly chats: ChatsRepository,
  ) {}

  @Get('counters')
  @ApiOperation({ summary: 'Badge numbers for the app shell (live: counters:changed)' })
  @ApiOkResponse({ description: 'CountersView' })
  async counters(@CurrentUser() auth: AuthUser): Promise<CountersView> {
    const [friends, unread] = await Promise.all([this.friendships.counters(auth.userId), this.chats.unreadTotals(auth.userId)]);
    return { ...friends, unreadChats: unread.chats, unreadMessages: unread.messages };
  }
}
