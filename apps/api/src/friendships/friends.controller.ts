import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import type { FriendRequestView, FriendView, Page } from '@app/contracts';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { DomainError } from '../common/errors/domain-error.js';
import { PageQueryDto } from '../common/pagination/page-query.dto.js';
import { ListRequestsQueryDto } from './dto/list-requests.dto.js';
import { SendFriendRequestDto } from './dto/send-friend-request.dto.js';
import { FriendshipsService } from './friendships.service.js';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => DomainError.notFound() });
const HIDDEN = 'No such request or user, or one the caller may not act on (identical to a missing id)';

@ApiTags('friends')
@ApiBearerAuth()
@Controller('friends')
export class FriendsController {
  constructor(private readonly friendships: FriendshipsService) {}

  @Get()
  @ApiOperation({ summary: 'My friends, newest friendship first (keyset-paged)' })
  @ApiOkResponse({ description: 'Page<FriendView>' })
  list(@CurrentUser() auth: AuthUser, @Query() page: PageQueryDto): Promise<Page<FriendView>> {
    return this.friendships.list(auth.userId, page);
  }

  @Get('requests')
  @ApiOperation({ summary: 'Pending friend requests to me (incoming, default) or from me (outgoing), newest first' })
  @ApiOkResponse({ description: 'Page<FriendRequestView>' })
  requests(@CurrentUser() auth: AuthUser, @Query() query: ListRequestsQueryDto): Promise<Page<FriendRequestView>> {
    return this.friendships.requests(auth.userId, query.direction ?? 'incoming', query);
  }

  @Post('requests')
  @ApiOperation({ summary: 'Send a friend request; if that user already asked me, accept theirs instead' })
  @ApiCreatedResponse({ description: 'FriendRequestView (direction "outgoing"): the request was sent' })
  @ApiOkResponse({ description: 'FriendView: the user had already asked me, so we are now friends' })
  @ApiBadRequestResponse({ description: 'Malformed body, or a request to myself (details[0].code "self")' })
  @ApiNotFoundResponse({ description: 'No such user, or a block between us (identical to a missing user)' })
  @ApiConflictResponse({ description: 'Already friends, or a request of mine is already pending' })
  @ApiTooManyRequestsResponse({ description: 'More requests this hour than RATE_FRIEND_REQUESTS_PER_HOUR' })
  async send(@CurrentUser() auth: AuthUser, @Body() dto: SendFriendRequestDto, @Res({ passthrough: true }) res: Response): Promise<FriendRequestView | FriendView> {
    const outcome = await this.friendships.send(auth.userId, dto.userId);
    if (outcome.kind === 'requested') return outcome.request;
    res.status(200);
    return outcome.friend;
  }

  @Post('requests/:id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept a request addressed to me' })
  @ApiOkResponse({ description: 'FriendView' })
  @ApiNotFoundResponse({ description: HIDDEN })
  accept(@CurrentUser() auth: AuthUser, @Param('id', uuid) id: string): Promise<FriendView> {
    return this.friendships.accept(auth.userId, id);
  }

  @Post('requests/:id/decline')
  @HttpCode(204)
  @ApiOperation({ summary: 'Decline a request addressed to me' })
  @ApiNoContentResponse({ description: 'Declined' })
  @ApiNotFoundResponse({ description: HIDDEN })
  decline(@CurrentUser() auth: AuthUser, @Param('id', uuid) id: string): Promise<void> {
    return this.friendships.decline(auth.userId, id);
  }

  @Delete('requests/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Cancel a request I sent' })
  @ApiNoContentResponse({ description: 'Cancelled' })
  @ApiNotFoundResponse({ description: HIDDEN })
  cancel(@CurrentUser() auth: AuthUser, @Param('id', uuid) id: string): Promise<void> {
    return this.friendships.cancel(auth.userId, id);
  }

  @Delete(':userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unfriend a user' })
  @ApiNoContentResponse({ description: 'No longer friends' })
  @ApiNotFoundResponse({ description: 'Not friends with that user' })
  unfriend(@CurrentUser() auth: AuthUser, @Param('userId', uuid) userId: string): Promise<void> {
    return this.friendships.unfriend(auth.userId, userId);
  }
}
