import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { MeView } from '@app/contracts';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { UpdateAppearanceDto } from './dto/update-appearance.dto.js';
import { UpdatePrivacyDto } from './dto/update-privacy.dto.js';
import { UpdateProfileDto } from './dto/update-profile.dto.js';
import { UsersService } from './users.service.js';

/** The signed-in user's own profile (avatar and cover uploads: media/profile-images.controller.ts). */
@ApiTags('users')
@ApiBearerAuth()
@Controller('users/me')
export class MeController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ description: 'The signed-in user' })
  me(@CurrentUser() auth: AuthUser): Promise<MeView> {
    return this.users.getMe(auth.userId);
  }

  @Patch()
  updateProfile(@CurrentUser() auth: AuthUser, @Body() dto: UpdateProfileDto): Promise<MeView> {
    return this.users.updateProfile(auth.userId, dto);
  }

  @Patch('privacy')
  updatePrivacy(@CurrentUser() auth: AuthUser, @Body() dto: UpdatePrivacyDto): Promise<MeView> {
    return this.users.updatePrivacy(auth.userId, dto);
  }

  @Patch('appearance')
  updateAppearance(@CurrentUser() auth: AuthUser, @Body() dto: UpdateAppearanceDto): Promise<MeView> {
    return this.users.updateAppearance(auth.userId, dto);
  }
}
