import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { LIMITS, type UpdateProfileRequest } from '@app/contracts';

export class UpdateProfileDto implements UpdateProfileRequest {
  @ApiPropertyOptional({ maxLength: LIMITS.displayNameMax })
  @IsOptional() @IsString() @MaxLength(LIMITS.displayNameMax)
  displayName?: string;

  @ApiPropertyOptional({ maxLength: LIMITS.usernameMax })
  @IsOptional() @IsString() @MaxLength(LIMITS.usernameMax * 4)
  username?: string;

  @ApiPropertyOptional({ maxLength: LIMITS.bioMax })
  @IsOptional() @IsString() @MaxLength(LIMITS.bioMax)
  bio?: string;
}
