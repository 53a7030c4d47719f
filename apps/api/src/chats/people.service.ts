import { Injectable } from '@nestjs/common';
import type { UserView } from '@app/contracts';
import { UsersService } from '../users/users.service.js';
import { toUserView } from '../users/users.mapper.js';

/** What chats need from the social graph: how a viewer sees people, and who may message whom. */
@Injectable()
export class PeopleService {
  constructor(private readonly users: UsersService) {}

  async views(viewerId: string, userIds: string[]): Promise<Map<string, UserView>> {
    const out = new Map<string, UserView>();
    for (const id of new Set(userIds)) {
      const user = await this.users.findById(id);
      if (!user) continue;
      out.set(id, toUserView(user, { relationship: id === viewerId ? 'self' : 'none', details: false, presence: null, canMessage: true }));
    }
    return out;
  }

  /** Whether `from` may start a dialog with (or add to a group) `to`. */
  async canMessage(_from: string, _to: string): Promise<boolean> {
    return true;
  }

  /** Whether either of two users blocked the other. */
  async blockedEitherWay(_a: string, _b: string): Promise<boolean> {
    return false;
  }
}
