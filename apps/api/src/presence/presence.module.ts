import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module.js';
import { PresenceService } from './presence.service.js';

@Module({ imports: [UsersModule], providers: [PresenceService], exports: [PresenceService] })
export class PresenceModule {}
