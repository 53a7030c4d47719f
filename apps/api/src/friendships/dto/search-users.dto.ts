import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { LIMITS, type UserSearchQuery } from '@app/contracts';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';

export class SearchUsersQueryDto extends PageQueryDto implements UserSearchQuery {
  @ApiProperty({ minLength: 1, maxLength: LIMITS.searchQueryMax, description: 'Part of a username or display name (trimmed); typos are tolerated' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString() @MinLength(1) @MaxLength(LIMITS.searchQueryMax)
  q: string;
}
