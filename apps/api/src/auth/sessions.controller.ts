import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { SessionView } from '@app/contracts';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { DomainError } from '../common/errors/domain-error.js';
import { SessionsService } from './sessions.service.js';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => DomainError.notFound() });

@ApiTags('auth')
@ApiBearerAuth()
@Controller('auth/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  list(@CurrentUser() user: AuthUser): Promise<SessionView[]> {
    return this.sessions.list(user.userId, user.sessionId);
  }

  @Delete(':id')
  @HttpCode(204)
  revoke(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string): Promise<void> {
    return this.sessions.revoke(user.userId, id, id === user.sessionId ? 'LOGGED_OUT' : 'SESSION_REVOKED');
  }

  @Post('revoke-others')
  @HttpCode(204)
  async revokeOthers(@CurrentUser() user: AuthUser): Promise<void> {
    await this.sessions.revokeAll(user.userId, user.sessionId, 'SESSION_REVOKED');
  }
}
