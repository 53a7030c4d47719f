import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page, RelationshipsView, UserView } from '@app/contracts';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { RelationshipsQueryDto } from './dto/relationships-query.dto.js';
import { SearchUsersQueryDto } from './dto/search-users.dto.js';
import { ProfilesService } from './profiles.service.js';
import { SearchService } from './search.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class ProfilesController {
  constructor(
    private readonly profiles: ProfilesService,
    private readonly searcher: SearchService,
  ) {}

  @Get('search')
  @ApiOperation({ summary: 'Find users by username or display name (prefix, typo tolerant), best match first' })
  @ApiOkResponse({ description: 'Page<UserView>; leaves out myself, blocks either way, and users whose privacy.search excludes me' })
  @ApiBadRequestResponse({ description: 'q missing, blank or longer than 64 characters; bad cursor or limit' })
  search(@CurrentUser() auth: AuthUser, @Query() query: SearchUsersQueryDto): Promise<Page<UserView>> {
    return this.searcher.search(auth.userId, query);
  }

  @Get('relationships')
  @ApiOperation({ summary: 'My relationship to each of up to 100 users (for user cards)' })
  @ApiOkResponse({ description: 'RelationshipsView: { [userId]: relationship }; unknown ids and users who blocked me are left out' })
  @ApiBadRequestResponse({ description: 'ids missing, malformed, or more than 100' })
  relationships(@CurrentUser() auth: AuthUser, @Query() query: RelationshipsQueryDto): Promise<RelationshipsView> {
    return this.profiles.relationships(auth.userId, query.ids);
  }

  @Get('by-username/:username')
  @ApiOperation({ summary: "A user's profile as I may see it (privacy per viewer)" })
  @ApiOkResponse({ description: 'UserView' })
  @ApiNotFoundResponse({ description: 'No such user, or one who blocked me (identical)' })
  byUsername(@CurrentUser() auth: AuthUser, @Param('username') username: string): Promise<UserView> {
    return this.profiles.byUsername(auth.userId, username);
  }
}
