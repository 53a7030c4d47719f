import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Put, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { BlockView, Page } from '@app/contracts';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { DomainError } from '../common/errors/domain-error.js';
import { PageQueryDto } from '../common/pagination/page-query.dto.js';
import { BlocksService } from './blocks.service.js';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => DomainError.notFound() });

@ApiTags('blocks')
@ApiBearerAuth()
@Controller('blocks')
export class BlocksController {
  constructor(private readonly blocks: BlocksService) {}

  @Get()
  @ApiOperation({ summary: 'Users I blocked, newest first (keyset-paged)' })
  @ApiOkResponse({ description: 'Page<BlockView>' })
  list(@CurrentUser() auth: AuthUser, @Query() page: PageQueryDto): Promise<Page<BlockView>> {
    return this.blocks.list(auth.userId, page);
  }

  @Put(':userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Block a user (idempotent): ends our friendship and pending requests either way' })
  @ApiNoContentResponse({ description: 'Blocked' })
  @ApiBadRequestResponse({ description: 'Blocking myself' })
  @ApiNotFoundResponse({ description: 'No such user' })
  block(@CurrentUser() auth: AuthUser, @Param('userId', uuid) userId: string): Promise<void> {
    return this.blocks.block(auth.userId, userId);
  }

  @Delete(':userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unblock a user' })
  @ApiNoContentResponse({ description: 'Unblocked' })
  @ApiNotFoundResponse({ description: 'I have not blocked that user' })
  unblock(@CurrentUser() auth: AuthUser, @Param('userId', uuid) userId: string): Promise<void> {
    return this.blocks.unblock(auth.userId, userId);
  }
}
