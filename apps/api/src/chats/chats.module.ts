import { Module } from '@nestjs/common';
import { FriendshipsModule } from '../friendships/friendships.module.js';
import { CountersController } from './counters.controller.js';
import { ChatAccessService } from './chat-access.service.js';
import { ChatLogRepository } from './chat-log.repository.js';
import { ChatLogPruner } from './chat-log-pruner.js';
import { ChatsController } from './chats.controller.js';
import { ChatsGateway } from './chats.gateway.js';
import { ChatsRepository } from './chats.repository.js';
import { ChatsService } from './chats.service.js';
import { MembersRepository } from './members.repository.js';
import { MembersService } from './members.service.js';
import { GroupProfileService } from './group-profile.service.js';
import { ServiceMessages } from './service-messages.js';
import { TypingService } from './typing.service.js';
import { DraftsController } from './drafts.controller.js';
import { DraftsGateway } from './drafts.gateway.js';
import { DraftsRepository } from './drafts.repository.js';
import { DraftsService } from './drafts.service.js';

@Module({
  imports: [FriendshipsModule],
  controllers: [ChatsController, CountersController, DraftsController],
  providers: [ChatAccessService, ChatLogRepository, ChatLogPruner, ChatsGateway, ChatsRepository, ChatsService, MembersRepository, MembersService, ServiceMessages, GroupProfileService, TypingService, DraftsRepository, DraftsService, DraftsGateway],
  exports: [ChatAccessService, ChatLogRepository, ChatsService, GroupProfileService, ChatsRepository, FriendshipsModule],
})
export class ChatsModule {}
