import { Module } from '@nestjs/common';
import { ChatsModule } from '../chats/chats.module.js';
import { MessageViewsModule } from './message-views.module.js';
import { MessagesController } from './messages.controller.js';
import { MessagesGateway } from './messages.gateway.js';
import { MessagesService } from './messages.service.js';
import { MessageSendsRepository } from './message-sends.repository.js';
import { MessageWriter } from './message-writer.js';
import { MessageHidesRepository } from './message-hides.repository.js';
import { MessageHidesService } from './message-hides.service.js';
import { MessagesRepository } from './messages.repository.js';
import { EditHistoryService } from './edit-history.service.js';
import { ForwardsController } from './forwards.controller.js';
import { ForwardsGateway } from './forwards.gateway.js';
import { ForwardsRepository } from './forwards.repository.js';
import { ForwardsService } from './forwards.service.js';
import { ListensController } from './listens.controller.js';
import { ListensGateway } from './listens.gateway.js';
import { ListensRepository } from './listens.repository.js';
import { ListensService } from './listens.service.js';
import { PinsController } from './pins.controller.js';
import { PinsGateway } from './pins.gateway.js';
import { PinsRepository } from './pins.repository.js';
import { PinsService } from './pins.service.js';
import { MessageEditsRepository } from './message-edits.repository.js';
import { ReactionsService } from './reactions.service.js';
import { ReadService } from './read.service.js';
import { ReadsRepository } from './reads.repository.js';
import { SyncService } from './sync.service.js';
import { SearchController } from './search.controller.js';
import { SearchService } from './search.service.js';

@Module({
  imports: [ChatsModule, MessageViewsModule],
  controllers: [MessagesController, PinsController, ForwardsController, ListensController, SearchController],
  providers: [MessagesGateway, MessagesService, ListensGateway, ListensService, ListensRepository, ForwardsGateway, ForwardsService, ForwardsRepository, MessagesRepository, MessageEditsRepository, EditHistoryService, PinsRepository, PinsService, PinsGateway, MessageSendsRepository, MessageWriter, MessageHidesRepository, MessageHidesService, ReactionsService, ReadService, ReadsRepository, SearchService, SyncService],
})
export class MessagesModule {}
