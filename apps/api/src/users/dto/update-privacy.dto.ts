import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { AUDIENCES, type Audience, type UpdatePrivacyRequest } from '@app/contracts';

export class UpdatePrivacyDto implements UpdatePrivacyRequest {
  @ApiPropertyOptional({ enum: AUDIENCES, description: 'Who sees bio, cover and other details' })
  @IsOptional() @IsIn(AUDIENCES)
  profile?: Audience;

  @ApiPropertyOptional({ enum: AUDIENCES, description: 'Who can find me in search' })
  @IsOptional() @IsIn(AUDIENCES)
  search?: Audience;

  @ApiPropertyOptional({ enum: AUDIENCES, description: 'Who can start a dialog with me' })
  @IsOptional() @IsIn(AUDIENCES)
  message?: Audience;

  @ApiPropertyOptional({ enum: AUDIENCES, description: 'Who sees my online status' })
  @IsOptional() @IsIn(AUDIENCES)
  presence?: Audience;

  @ApiPropertyOptional({ enum: AUDIENCES, description: 'Who may add me to groups' })
  @IsOptional() @IsIn(AUDIENCES)
  groupAdd?: Audience;

  @ApiPropertyOptional({ enum: AUDIENCES, description: 'Who sees my name on my messages forwarded to them' })
  @IsOptional() @IsIn(AUDIENCES)
  forwards?: Audience;
}
