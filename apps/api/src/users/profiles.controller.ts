import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { UserView } from '@app/contracts';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { ProfilesService } from './profiles.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Get('by-username/:username')
  byUsername(@CurrentUser() auth: AuthUser, @Param('username') username: string): Promise<UserView> {
    return this.profiles.byUsername(auth.userId, username);
  }
}
