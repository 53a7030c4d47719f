import { Module } from '@nestjs/common';
import { PresenceModule } from '../presence/presence.module.js';
import { UsersModule } from '../users/users.module.js';
import { BlocksController } from './blocks.controller.js';
import { BlocksRepository } from './blocks.repository.js';
import { BlocksService } from './blocks.service.js';
import { FriendsController } from './friends.controller.js';
import { FriendshipsNotifier } from './friendships.notifier.js';
import { FriendshipsRepository } from './friendships.repository.js';
import { FriendshipsService } from './friendships.service.js';
import { PresenceFanout } from './presence-fanout.listener.js';
import { ProfilesController } from './profiles.controller.js';
import { ProfilesService } from './profiles.service.js';
import { SearchRepository } from './search.repository.js';
import { SearchService } from './search.service.js';
import { UserViewsService } from './user-views.service.js';

/** Friends, requests, blocks, search and relationship-aware profiles. Exports how users see each other. */
@Module({
  imports: [UsersModule, PresenceModule],
  controllers: [FriendsController, BlocksController, ProfilesController],
  providers: [
    FriendshipsRepository, BlocksRepository, SearchRepository,
    UserViewsService, FriendshipsNotifier, FriendshipsService, BlocksService, SearchService, ProfilesService, PresenceFanout,
  ],
  exports: [UserViewsService, FriendshipsService],
})
export class FriendshipsModule {}
