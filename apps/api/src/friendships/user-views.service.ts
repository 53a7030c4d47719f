import { Injectable } from '@nestjs/common';
import type { Relationship, RelationshipsView, UserView } from '@app/contracts';
import { PresenceService } from '../presence/presence.service.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import { toPresenceView, toUserView } from '../users/users.mapper.js';
import { UsersService } from '../users/users.service.js';
import { BlocksRepository } from './blocks.repository.js';
import { FriendshipsRepository } from './friendships.repository.js';
import { NO_LINK, relationshipOf, rulesFor, type PairLink, type Rules } from './relationship.js';

export interface ViewOptions {
  /**
   * Keep users who blocked the viewer, with nothing but their name (no avatar, details or
   * presence, and no way to message them): in chats the two already share and in the viewer's own
   * block list. Everywhere else (profiles, search, new dialogs) they are as if they did not exist.
   */
  keepHidden?: boolean;
}

const privacyOf = (u: UserEntity) => ({
  profile: u.privacyProfile,
  search: u.privacySearch,
  message: u.privacyMessage,
  presence: u.privacyPresence,
  groupAdd: u.privacyGroupAdd,
  forwards: u.privacyForwards,
});

/**
 * How one user sees others: relationship, privacy per viewer, presence. Every user card the
 * API returns (profiles, lists, search, socket payloads, chats) is built here.
 */
@Injectable()
export class UserViewsService {
  constructor(
    private readonly users: UsersService,
    private readonly graph: FriendshipsRepository,
    private readonly blocks: BlocksRepository,
    private readonly presence: PresenceService,
  ) {}

  /** Views of `ids` for the viewer, keyed by id; unknown users and users who blocked the viewer are left out. */
  async views(viewerId: string, ids: string[], opts: ViewOptions = {}): Promise<Map<string, UserView>> {
    const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
    return this.viewsOf(viewerId, await this.users.findByIds(unique), opts);
  }

  /**
   * Viewer-neutral cards (name and avatar only) for payloads broadcast to many people at once,
   * where no single viewer's relationship applies; each client fetches its own views when needed.
   */
  async cards(ids: string[]): Promise<Map<string, UserView>> {
    const users = await this.users.findByIds([...new Set(ids.map((id) => id.toLowerCase()))]);
    const neutral = { relationship: 'none', details: false, presence: null, canMessage: false, canAddToGroup: false, requestId: null } as const;
    return new Map(users.map((u) => [u.id, toUserView(u, neutral)]));
  }

  async view(viewerId: string, id: string): Promise<UserView | null> {
    return (await this.views(viewerId, [id])).get(id.toLowerCase()) ?? null;
  }

  async viewsOf(viewerId: string, users: UserEntity[], opts: ViewOptions = {}): Promise<Map<string, UserView>> {
    if (users.length === 0) return new Map();
    const links = await this.graph.links(viewerId, users.map((u) => u.id));
    const ruled = users
      .map((user) => {
        const link = links.get(user.id) ?? NO_LINK;
        return { user, link, rules: rulesFor(viewerId, user.id, privacyOf(user), link) };
      })
      .filter(({ rules }) => opts.keepHidden || !rules.hidden);
    const online = await this.presence.onlineSet(ruled.filter(({ rules }) => rules.presence).map(({ user }) => user.id));
    return new Map(ruled.map(({ user, link, rules }) => [user.id, this.toView(user, rules, online, link)]));
  }

  /** The viewer's relationship to each existing, visible user of `ids`. */
  async relationships(viewerId: string, ids: string[]): Promise<RelationshipsView> {
    const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
    const links = await this.graph.links(viewerId, unique);
    const out: Record<string, Relationship> = {};
    for (const [id, link] of links) {
      if (id !== viewerId && link.blockedMe) continue;
      out[id] = relationshipOf(viewerId, id, link);
    }
    return out;
  }

  /** Whether `from` may put `to` into a group (privacy.groupAdd and blocks either way). */
  async canAddToGroup(from: string, to: string): Promise<boolean> {
    return (await this.view(from, to))?.canAddToGroup ?? false;
  }

  /** Whether `from` may open a dialog with `to` (privacy.message and blocks either way). */
  async canMessage(from: string, to: string): Promise<boolean> {
    return (await this.view(from, to))?.canMessage ?? false;
  }

  blockedEitherWay(a: string, b: string): Promise<boolean> {
    return this.blocks.eitherWay(a.toLowerCase(), b.toLowerCase());
  }

  private toView(user: UserEntity, rules: Rules, online: Set<string>, link: PairLink): UserView {
    const presence = rules.presence ? toPresenceView(online.has(user.id), user.lastSeenAt) : null;
    return toUserView(user, {
      relationship: rules.relationship,
      details: rules.details && !rules.hidden,
      presence,
      canMessage: rules.canMessage,
      canAddToGroup: rules.canAddToGroup,
      requestId: rules.relationship === 'request_sent' || rules.relationship === 'request_received' ? link.friendshipId : null,
      nameOnly: rules.hidden,
    });
  }
}
