import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import {
  CHAT_LIMITS,
  type AddMembersRequest,
  type CreateChatRequest,
  type MuteChatRequest,
  type RenameChatRequest,
  type SetChatDescriptionRequest,
  type UpdateMemberRequest,
  type UpdateMyChatRequest,
} from '@app/contracts';

export class CreateChatDto implements CreateChatRequest {
  @ApiProperty({ type: [String], description: 'One id opens a dialog; several make a group (needs a title)' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(CHAT_LIMITS.groupMembersMax) @IsUUID('all', { each: true })
  userIds: string[];

  @ApiPropertyOptional({ maxLength: CHAT_LIMITS.titleMax })
  @IsOptional() @IsString() @MaxLength(CHAT_LIMITS.titleMax)
  title?: string;
}

export class RenameChatDto implements RenameChatRequest {
  @ApiProperty({ maxLength: CHAT_LIMITS.titleMax })
  @IsString() @MaxLength(CHAT_LIMITS.titleMax)
  title: string;
}

export class SetChatDescriptionDto implements SetChatDescriptionRequest {
  @ApiProperty({ maxLength: CHAT_LIMITS.descriptionMax, description: 'Empty string clears it' })
  @IsString() @MaxLength(CHAT_LIMITS.descriptionMax)
  description: string;
}

export class UpdateMyChatDto implements UpdateMyChatRequest {
  @ApiPropertyOptional({ maxLength: CHAT_LIMITS.customNameMax, description: 'Empty string clears it' })
  @IsOptional() @IsString() @MaxLength(CHAT_LIMITS.customNameMax)
  customName?: string;

  @ApiPropertyOptional()
  @IsOptional() @IsBoolean()
  muted?: boolean;
}

export class MuteChatDto implements MuteChatRequest {
  @ApiProperty({ type: String, nullable: true, description: 'An ISO time in the future, "forever", or null to unmute' })
  @ValidateIf((_o, v) => v !== null) @IsString() @MaxLength(40)
  until: string | null;

  @ApiPropertyOptional({ description: 'Groups only: still notify mentions of me' })
  @IsOptional() @IsBoolean()
  mentionsOnly?: boolean;
}

export class AddMembersDto implements AddMembersRequest {
  @ApiProperty({ type: [String] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(CHAT_LIMITS.groupMembersMax) @IsUUID('all', { each: true })
  userIds: string[];
}

export class UpdateMemberDto implements UpdateMemberRequest {
  @ApiProperty({ enum: ['admin', 'member'] })
  @IsIn(['admin', 'member'])
  role: 'admin' | 'member';
}


/** Socket payloads that address a chat. */
export class SocketChatRefDto {
  @IsString() @MaxLength(64)
  chatId: string;
}
