import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { PresenceModule } from '../presence/presence.module.js';
import { RealtimeEmitter } from './realtime.emitter.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { RealtimeServer } from './realtime.server.js';

@Module({
  imports: [AuthModule, PresenceModule],
  providers: [RealtimeGateway, RealtimeServer, RealtimeEmitter],
})
export class RealtimeModule {}
