import { Injectable } from '@nestjs/common';
import type { Audience, UserView } from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import type { UserEntity } from './entities/user.entity.js';
import { toUserView } from './users.mapper.js';
import { UsersService } from './users.service.js';

function allows(audience: Audience, isSelf: boolean): boolean {
  return isSelf || audience === 'everyone';
}

/** Another user's profile as the viewer may see it. */
@Injectable()
export class ProfilesService {
  constructor(private readonly users: UsersService) {}

  async byUsername(viewerId: string, username: string): Promise<UserView> {
    if (username.length > 128) throw DomainError.notFound();
    const user = await this.users.findByUsername(username);
    if (!user) throw DomainError.notFound();
    return this.view(viewerId, user);
  }

  view(viewerId: string, user: UserEntity): UserView {
    const self = user.id === viewerId;
    return toUserView(user, {
      relationship: self ? 'self' : 'none',
      details: allows(user.privacyProfile, self),
      presence: allows(user.privacyPresence, self)
        ? { online: false, lastSeenAt: user.lastSeenAt?.toISOString() ?? null }
        : null,
      canMessage: !self && allows(user.privacyMessage, self),
    });
  }
}
