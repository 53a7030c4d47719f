import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { FriendRequestDirection } from '@app/contracts';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';

export const DIRECTIONS: FriendRequestDirection[] = ['incoming', 'outgoing'];

export class ListRequestsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DIRECTIONS, default: 'incoming', description: 'Requests to me (incoming) or from me (outgoing)' })
  @IsOptional() @IsIn(DIRECTIONS)
  direction?: FriendRequestDirection;
}
