import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { LIMITS, type LoginRequest } from '@app/contracts';

export class LoginDto implements LoginRequest {
  @ApiProperty({ description: 'Username or e-mail', example: 'ada_l' })
  @IsString() @MinLength(1) @MaxLength(LIMITS.emailMax)
  login: string;

  @ApiProperty()
  @IsString() @MinLength(1) @MaxLength(LIMITS.passwordMax)
  password: string;
}
