import { Injectable } from '@nestjs/common';
import type { RelationshipsView, UserView } from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import { UsersService } from '../users/users.service.js';
import { UserViewsService } from './user-views.service.js';

/** Another user's profile as the viewer may see it; a user who blocked the viewer does not exist for them. */
@Injectable()
export class ProfilesService {
  constructor(
    private readonly users: UsersService,
    private readonly views: UserViewsService,
  ) {}

  async byUsername(viewerId: string, username: string): Promise<UserView> {
    if (username.length > 128) throw DomainError.notFound();
    const user = await this.users.findByUsername(username);
    const view = user ? (await this.views.viewsOf(viewerId, [user])).get(user.id) : undefined;
    if (!view) throw DomainError.notFound();
    return view;
  }

  relationships(viewerId: string, ids: string[]): Promise<RelationshipsView> {
    return this.views.relationships(viewerId, ids);
  }
}
