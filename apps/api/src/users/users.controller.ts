import {
  Body,
  Controller,
  Delete,
  Get,
  Patch,
  Put,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { MeView } from '@app/contracts';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { DomainError } from '../common/errors/domain-error.js';
import { UpdateAppearanceDto } from './dto/update-appearance.dto.js';
import { UpdatePrivacyDto } from './dto/update-privacy.dto.js';
import { UpdateProfileDto } from './dto/update-profile.dto.js';
import { UsersService } from './users.service.js';

interface UploadedImage {
  buffer: Buffer;
}

const imageBody = {
  schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
};

function requireFile(file: UploadedImage | undefined): Buffer {
  if (!file) throw DomainError.validation('file', 'required', 'Attach an image in the "file" field');
  return file.buffer;
}

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

  @Put('avatar')
  @ApiConsumes('multipart/form-data')
  @ApiBody(imageBody)
  @UseInterceptors(FileInterceptor('file'))
  setAvatar(@CurrentUser() auth: AuthUser, @UploadedFile() file?: UploadedImage): Promise<MeView> {
    return this.users.setImage(auth.userId, 'avatars', requireFile(file));
  }

  @Delete('avatar')
  removeAvatar(@CurrentUser() auth: AuthUser): Promise<MeView> {
    return this.users.setImage(auth.userId, 'avatars', null);
  }

  @Put('cover')
  @ApiConsumes('multipart/form-data')
  @ApiBody(imageBody)
  @UseInterceptors(FileInterceptor('file'))
  setCover(@CurrentUser() auth: AuthUser, @UploadedFile() file?: UploadedImage): Promise<MeView> {
    return this.users.setImage(auth.userId, 'covers', requireFile(file));
  }

  @Delete('cover')
  removeCover(@CurrentUser() auth: AuthUser): Promise<MeView> {
    return this.users.setImage(auth.userId, 'covers', null);
  }
}
