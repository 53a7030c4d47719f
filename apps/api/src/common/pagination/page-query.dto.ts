import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { LIMITS, type PageQuery } from '@app/contracts';
import { DEFAULT_PAGE_SIZE } from './cursor.js';

/** `?cursor=&limit=` of every keyset-paged list. */
export class PageQueryDto implements PageQuery {
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page (opaque)' })
  @IsOptional() @IsString() @MaxLength(512) @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor is malformed' })
  cursor?: string;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: LIMITS.pageSizeMax, default: DEFAULT_PAGE_SIZE })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(LIMITS.pageSizeMax)
  limit?: number;
}
