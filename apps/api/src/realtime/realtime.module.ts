import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { PresenceModule } from '../presence/presence.module.js';
import { GracefulShutdown } from './graceful-shutdown.js';
import { RealtimeEmitter } from './realtime.emitter.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { RealtimeServer } from './realtime.server.js';
import { SocketSlots } from './socket-slots.js';

@Module({
  imports: [AuthModule, PresenceModule],
  providers: [RealtimeGateway, RealtimeServer, RealtimeEmitter, SocketSlots, GracefulShutdown],
  exports: [GracefulShutdown],
})
export class RealtimeModule {}
