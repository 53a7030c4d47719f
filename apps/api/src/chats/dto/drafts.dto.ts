import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { CHAT_LIMITS, type SaveDraftRequest } from '@app/contracts';

export class SaveDraftDto implements SaveDraftRequest {
  @ApiProperty({ maxLength: CHAT_LIMITS.textMax, description: "Unsent text; '' with no reply target clears the draft" })
  @IsString() @MaxLength(CHAT_LIMITS.textMax)
  text: string;

  @ApiPropertyOptional({ nullable: true, description: 'The message the draft replies to' })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsUUID('all')
  replyToId?: string | null;
}

export class SocketSaveDraftDto extends SaveDraftDto {
  @IsString() @MaxLength(64)
  chatId: string;
}
