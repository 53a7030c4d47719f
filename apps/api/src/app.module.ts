import { type DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { LoggingModule } from './common/logging/logging.module.js';
import { RedisModule } from './common/redis/redis.module.js';
import { RateLimitModule } from './common/rate-limit/rate-limit.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { UsersModule } from './users/users.module.js';
import { AuthModule } from './auth/auth.module.js';
import { RealtimeModule } from './realtime/realtime.module.js';
import { FriendshipsModule } from './friendships/friendships.module.js';
import { ChatsModule } from './chats/chats.module.js';
import { MessagesModule } from './messages/messages.module.js';
import { MediaModule } from './media/media.module.js';
import { LinkPreviewsModule } from './messages/link-previews/link-previews.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        EventEmitterModule.forRoot({ wildcard: false }),
        RedisModule,
        RateLimitModule,
        DatabaseModule,
        HealthModule,
        UsersModule,
        AuthModule,
        FriendshipsModule,
        RealtimeModule,
        ChatsModule,
        MediaModule,
        MessagesModule,
        NotificationsModule,
        LinkPreviewsModule,
      ],
    };
  }
}
