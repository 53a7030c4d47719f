import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module.js';
import { ChatLog } from './chat-log.js';
import { ChatsController } from './chats.controller.js';
import { ChatsGateway } from './chats.gateway.js';
import { ChatsRepository } from './chats.repository.js';
import { ChatsService } from './chats.service.js';
import { MembersService } from './members.service.js';
import { MessageViewsRepository } from './message-views.repository.js';
import { PeopleService } from './people.service.js';
import { TypingService } from './typing.service.js';

@Module({
  imports: [UsersModule],
  controllers: [ChatsController],
  providers: [ChatLog, ChatsGateway, ChatsRepository, ChatsService, MembersService, MessageViewsRepository, PeopleService, TypingService],
  exports: [ChatLog, ChatsService, ChatsRepository, MessageViewsRepository, PeopleService],
})
export class ChatsModule {}
