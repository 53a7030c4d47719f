import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { LIMITS, LOCALES, type Locale, type RegisterRequest } from '@app/contracts';

export class RegisterDto implements RegisterRequest {
  @ApiProperty({ minLength: LIMITS.usernameMin, maxLength: LIMITS.usernameMax, example: 'ada_l' })
  @IsString() @MaxLength(LIMITS.usernameMax * 4)
  username: string;

  @ApiProperty({ maxLength: LIMITS.emailMax, example: 'ada@example.org' })
  @IsString() @MaxLength(LIMITS.emailMax) @IsEmail({ allow_display_name: false, allow_ip_domain: false, require_tld: false })
  email: string;

  @ApiProperty({ maxLength: LIMITS.displayNameMax, example: 'Ada Lovelace' })
  @IsString() @MinLength(1) @MaxLength(LIMITS.displayNameMax)
  displayName: string;

  @ApiProperty({ minLength: LIMITS.passwordMin, maxLength: LIMITS.passwordMax })
  @IsString() @MinLength(LIMITS.passwordMin) @MaxLength(LIMITS.passwordMax)
  password: string;

  @ApiPropertyOptional({ enum: LOCALES })
  @IsOptional() @IsIn(LOCALES)
  locale?: Locale;
}
