import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { LIMITS, type ForgotPasswordRequest, type ResetPasswordRequest } from '@app/contracts';

export class ForgotPasswordDto implements ForgotPasswordRequest {
  @ApiProperty({ description: 'Username or e-mail' })
  @IsString() @MinLength(1) @MaxLength(LIMITS.emailMax)
  login: string;
}

export class ResetPasswordDto implements ResetPasswordRequest {
  @ApiProperty({ description: 'The token from the recovery link' })
  @IsString() @Matches(/^[A-Za-z0-9_-]{20,128}$/, { message: 'token is malformed' })
  token: string;

  @ApiProperty({ minLength: LIMITS.passwordMin, maxLength: LIMITS.passwordMax })
  @IsString() @MinLength(LIMITS.passwordMin) @MaxLength(LIMITS.passwordMax)
  password: string;
}
