import { Module } from '@nestjs/common';
import { FriendshipsModule } from '../friendships/friendships.module.js';
import { CountersController } from './counters.controller.js';
import { ChatLog } from './chat-log.js';
import { ChatsController } from './chats.controller.js';
import { ChatsGateway } from './chats.gateway.js';
import { ChatsRepository } from './chats.repository.js';
import { ChatsService } from './chats.service.js';
import { MembersService } from './members.service.js';
import { MessageViewsRepository } from './message-views.repository.js';
import { TypingService } from './typing.service.js';

@Module({
  imports: [FriendshipsModule],
  controllers: [ChatsController, CountersController],
  providers: [ChatLog, ChatsGateway, ChatsRepository, ChatsService, MembersService, MessageViewsRepository, TypingService],
  exports: [ChatLog, ChatsService, ChatsRepository, MessageViewsRepository, FriendshipsModule],
})
export class ChatsModule {}
