import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { SocketChatRefDto } from '../../chats/dto/chats.dto.js';
import { CHAT_LIMITS, ENTITY_LIMITS, ENTITY_TYPES, type EditMessageRequest, type EntityType, type MessageEntity, type ForwardMessagesRequest, type ReadRequest, type SendMessageRequest } from '@app/contracts';

const CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Seqs are bigint in SQL but numbers on the wire: past 2^53 - 1 a cursor is not a seq (400, not a bigint overflow). */
const SEQ_MAX = Number.MAX_SAFE_INTEGER;

export class MessageEntityDto implements MessageEntity {
  @ApiProperty({ enum: ENTITY_TYPES })
  @IsIn(ENTITY_TYPES)
  type: EntityType;

  @ApiProperty({ minimum: 0, description: 'Where the range starts in the text, in UTF-16 code units' })
  @IsInt() @Min(0) @Max(CHAT_LIMITS.textMax * 2)
  offset: number;

  @ApiProperty({ minimum: 1, description: 'UTF-16 code units' })
  @IsInt() @Min(1) @Max(CHAT_LIMITS.textMax * 2)
  length: number;

  @ApiPropertyOptional({ maxLength: ENTITY_LIMITS.urlMax, description: 'For links only: an http, https or mailto address' })
  @IsOptional() @IsString() @MaxLength(ENTITY_LIMITS.urlMax)
  url?: string;
}

const ENTITIES_DOC: ApiPropertyOptions = { type: [MessageEntityDto], maxItems: ENTITY_LIMITS.max, description: 'Formatting ranges over the text: nested, never crossing; none inside code' };

export class SendMessageDto implements SendMessageRequest {
  @ApiProperty({ description: 'Unique per sender; a retry with the same id returns the stored message', example: 'c-6f1e2a' })
  @IsString() @Matches(CLIENT_ID, { message: 'clientId must be 1-64 letters, digits, "_" or "-"' })
  clientId: string;

  @ApiProperty({ maxLength: CHAT_LIMITS.textMax, description: 'May be empty when mediaIds is not' })
  @IsString() @MaxLength(CHAT_LIMITS.textMax * 2)
  text: string;

  @ApiPropertyOptional(ENTITIES_DOC)
  @IsOptional() @IsArray() @ArrayMaxSize(ENTITY_LIMITS.max) @ValidateNested({ each: true }) @Type(() => MessageEntityDto)
  entities?: MessageEntityDto[];

  @ApiPropertyOptional()
  @IsOptional() @IsUUID()
  replyToId?: string;

  @ApiPropertyOptional({ type: [String], description: 'Own uploads (POST /api/media) not sent yet; over the per-message limit: 413' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @ArrayUnique() @IsUUID('all', { each: true })
  mediaIds?: string[];

  @ApiPropertyOptional({ description: 'Also clear my draft of this chat once stored' })
  @IsOptional() @IsBoolean()
  clearDraft?: boolean;
}

export class ForwardMessagesDto implements ForwardMessagesRequest {
  @ApiProperty({ description: 'Unique per sender, at most 60 characters; the new messages take `${clientId}-${index}`', example: 'f-6f1e2a' })
  @IsString() @Matches(/^[A-Za-z0-9_-]{1,60}$/, { message: 'clientId must be 1-60 letters, digits, "_" or "-"' })
  clientId: string;

  @ApiProperty({ description: 'The chat the messages are in (the sender must be a member)' })
  @IsString() @MaxLength(64)
  fromChatId: string;

  @ApiProperty({ type: [String], minItems: 1, maxItems: CHAT_LIMITS.forwardMax, description: 'Messages of fromChatId, forwarded in their order there' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(CHAT_LIMITS.forwardMax) @ArrayUnique() @IsString({ each: true }) @MaxLength(64, { each: true })
  messageIds: string[];
}

export class EditMessageDto implements EditMessageRequest {
  @ApiProperty({ maxLength: CHAT_LIMITS.textMax })
  @IsString() @MinLength(1) @MaxLength(CHAT_LIMITS.textMax * 2)
  text: string;

  @ApiPropertyOptional(ENTITIES_DOC)
  @IsOptional() @IsArray() @ArrayMaxSize(ENTITY_LIMITS.max) @ValidateNested({ each: true }) @Type(() => MessageEntityDto)
  entities?: MessageEntityDto[];
}

export class ReadDto implements ReadRequest {
  @ApiProperty({ minimum: 0 })
  @IsInt() @Min(0) @Max(SEQ_MAX)
  seq: number;
}

export class HistoryQueryDto {
  @ApiPropertyOptional({ description: 'Messages below this seq (scrolling up)' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(SEQ_MAX)
  before?: number;

  @ApiPropertyOptional({ description: 'Messages above this seq' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(SEQ_MAX)
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  limit?: number;
}

export class EventsQueryDto {
  @ApiProperty({ description: 'The last seq the client applied' })
  @Type(() => Number) @IsInt() @Min(0) @Max(SEQ_MAX)
  after: number;
}

export class HiddenQueryDto {
  @ApiProperty({ description: 'The lowest seq the client holds; hidden messages from there on are listed' })
  @Type(() => Number) @IsInt() @Min(0)
  from: number;
}

/** Socket payloads: the REST bodies plus the chat (and message) they address. */
export class SocketSendDto extends SendMessageDto {
  @IsString() @MaxLength(64)
  chatId: string;
}

export class SocketForwardDto extends ForwardMessagesDto {
  @IsString() @MaxLength(64)
  chatId: string;
}

export class SocketEditDto extends EditMessageDto {
  @IsString() @MaxLength(64)
  chatId: string;

  @IsString() @MaxLength(64)
  messageId: string;
}

export class SocketMessageRefDto {
  @IsString() @MaxLength(64)
  chatId: string;

  @IsString() @MaxLength(64)
  messageId: string;
}

export class SocketReactionDto extends SocketMessageRefDto {
  @IsString() @MaxLength(32)
  emoji: string;

  @IsBoolean()
  on: boolean;
}

export class SocketReadDto extends ReadDto {
  @IsString() @MaxLength(64)
  chatId: string;
}

export class SocketSyncDto extends SocketChatRefDto {
  @IsInt() @Min(0) @Max(SEQ_MAX)
  after: number;
}
