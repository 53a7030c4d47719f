import { Module } from '@nestjs/common';
import { FriendshipsModule } from '../friendships/friendships.module.js';
import { PushController } from './push.controller.js';
import { PushEnqueueListener } from './push-enqueue.listener.js';
import { PushRepository } from './push.repository.js';
import { PushSender } from './push-sender.js';
import { PushService } from './push.service.js';

/** Web Push: subscriptions per session, the outgoing queue and its sender. */
@Module({
  imports: [FriendshipsModule],
  controllers: [PushController],
  providers: [PushRepository, PushService, PushSender, PushEnqueueListener],
  exports: [PushService],
})
export class NotificationsModule {}
