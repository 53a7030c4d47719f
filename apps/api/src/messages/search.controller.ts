import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import type { MessageSearchHit, MessageSearchQuery, Page } from '@app/contracts';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { PageQueryDto } from '../common/pagination/page-query.dto.js';
import { SearchService } from './search.service.js';

export class MessageSearchDto extends PageQueryDto implements MessageSearchQuery {
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString() @MinLength(1) @MaxLength(200)
  q: string;

  @ApiPropertyOptional({ description: 'Search one chat only' })
  @IsOptional() @IsUUID()
  chatId?: string;
}

@ApiTags('messages')
@ApiBearerAuth()
@Controller('messages')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  /** Full-text search in all my chats, or in one (`chatId`), newest first. */
  @Get('search')
  find(@CurrentUser() me: AuthUser, @Query() q: MessageSearchDto): Promise<Page<MessageSearchHit>> {
    return this.search.search(me.userId, q.q, { chatId: q.chatId, cursor: q.cursor, limit: q.limit });
  }
}
