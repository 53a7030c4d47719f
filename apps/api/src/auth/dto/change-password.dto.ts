import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { LIMITS, type ChangePasswordRequest } from '@app/contracts';

export class ChangePasswordDto implements ChangePasswordRequest {
  @ApiProperty()
  @IsString() @MinLength(1) @MaxLength(LIMITS.passwordMax)
  currentPassword: string;

  @ApiProperty({ minLength: LIMITS.passwordMin, maxLength: LIMITS.passwordMax })
  @IsString() @MinLength(LIMITS.passwordMin) @MaxLength(LIMITS.passwordMax)
  newPassword: string;
}
