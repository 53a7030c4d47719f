import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';
import type {
  MeView,
  UpdateAppearanceRequest,
  UpdatePrivacyRequest,
  UpdateProfileRequest,
} from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import { violates } from '../database/sql.js';
import type { UserEntity } from './entities/user.entity.js';
import { UsersRepository } from './users.repository.js';
import { toMeView } from './users.mapper.js';
import { cleanDisplayName, emailKey, USERNAME_MESSAGES, usernameKey, usernameProblem } from './username.js';
import { USER_EVENTS, type PresenceAudienceChangedEvent, type UserUpdatedEvent } from './users.events.js';

export interface NewUser {
  username: string;
  email: string;
  displayName: string;
  passwordHash: string;
  locale?: 'en' | 'ru';
}

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly events: EventEmitter2,
  ) {}

  /** Checks a username and returns the stored form, or throws a field error. */
  checkUsername(raw: string): string {
    const problem = usernameProblem(raw);
    if (problem) throw DomainError.validation('username', problem, USERNAME_MESSAGES[problem]);
    return raw.normalize('NFC');
  }

  checkDisplayName(raw: string): string {
    const name = cleanDisplayName(raw);
    if (!name) throw DomainError.validation('displayName', 'invalid', 'Display name must not be empty or invisible');
    return name;
  }

  async create(input: NewUser): Promise<UserEntity> {
    const row = {
      username: input.username,
      usernameKey: usernameKey(input.username),
      email: input.email.trim(),
      emailKey: emailKey(input.email),
      displayName: input.displayName,
      passwordHash: input.passwordHash,
      locale: input.locale ?? 'en',
    };
    try {
      return await this.users.insert(row);
    } catch (e) {
      if (violates(e, 'users_username_key_uq')) {
        throw new DomainError('CONFLICT', 'Username is taken', [{ field: 'username', code: 'taken', message: USERNAME_MESSAGES.taken }]);
      }
      if (violates(e, 'users_email_key_uq')) {
        throw new DomainError('CONFLICT', 'E-mail is already registered', [{ field: 'email', code: 'taken', message: 'This e-mail is already registered' }]);
      }
      throw e;
    }
  }

  findByLogin(login: string): Promise<UserEntity | null> {
    const value = login.trim();
    return value.includes('@')
      ? this.users.byEmailKey(emailKey(value))
      : this.users.byUsernameKey(usernameKey(value));
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.byId(id);
  }

  /** The users among `ids` that exist, in no particular order. */
  findByIds(ids: string[]): Promise<UserEntity[]> {
    return this.users.byIds(ids);
  }

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.users.byUsernameKey(usernameKey(username));
  }

  async requireById(id: string): Promise<UserEntity> {
    const user = await this.findById(id);
    if (!user) throw DomainError.notFound();
    return user;
  }

  async getMe(id: string): Promise<MeView> {
    return toMeView(await this.requireById(id));
  }

  /** Sets a new password hash, inside the caller's transaction when given (its sessions end with it). */
  setPasswordHash(id: string, passwordHash: string, m?: EntityManager): Promise<void> {
    return this.users.setPasswordHash(id, passwordHash, m);
  }

  /**
   * Stamps "last seen" (the users' last socket closed, or the instance holding it died at `at`);
   * returns what is stored, without users that no longer exist.
   */
  markSeen(ids: string[], at: Date): Promise<{ id: string; lastSeenAt: Date }[]> {
    return this.users.markSeen(ids, at);
  }

  async updateProfile(id: string, req: UpdateProfileRequest): Promise<MeView> {
    const user = await this.requireById(id);
    if (req.displayName !== undefined) user.displayName = this.checkDisplayName(req.displayName);
    if (req.username !== undefined) {
      user.username = this.checkUsername(req.username);
      user.usernameKey = usernameKey(user.username);
    }
    if (req.bio !== undefined) user.bio = req.bio.normalize('NFC').trim();
    try {
      return this.changed(await this.users.save(user));
    } catch (e) {
      if (violates(e, 'users_username_key_uq')) {
        throw new DomainError('CONFLICT', 'Username is taken', [{ field: 'username', code: 'taken', message: USERNAME_MESSAGES.taken }]);
      }
      throw e;
    }
  }

  async updatePrivacy(id: string, req: UpdatePrivacyRequest): Promise<MeView> {
    const user = await this.requireById(id);
    if (req.profile) user.privacyProfile = req.profile;
    if (req.search) user.privacySearch = req.search;
    if (req.message) user.privacyMessage = req.message;
    if (req.groupAdd) user.privacyGroupAdd = req.groupAdd;
    if (req.forwards) user.privacyForwards = req.forwards;
    const audienceChanged = req.presence !== undefined && req.presence !== user.privacyPresence;
    if (req.presence) user.privacyPresence = req.presence;
    const me = this.changed(await this.users.save(user));
    if (audienceChanged) {
      const event: PresenceAudienceChangedEvent = { userId: id, audience: user.privacyPresence };
      this.events.emit(USER_EVENTS.presenceAudienceChanged, event);
    }
    return me;
  }

  async updateAppearance(id: string, req: UpdateAppearanceRequest): Promise<MeView> {
    const user = await this.requireById(id);
    if (req.theme) user.theme = req.theme;
    if (req.accentColor) user.accentColor = req.accentColor.toLowerCase();
    if (req.wallpaper) user.wallpaper = req.wallpaper;
    if (req.locale) user.locale = req.locale;
    return this.changed(await this.users.save(user));
  }

  /**
   * Points the avatar or cover at a stored image (null removes it) and returns the key it replaced,
   * whose files the caller (the media module, which stores them) deletes.
   */
  async setImageKey(id: string, kind: 'avatars' | 'covers', key: string | null): Promise<{ me: MeView; previous: string | null }> {
    const user = await this.requireById(id);
    const field = kind === 'avatars' ? 'avatarKey' : 'coverKey';
    const previous = user[field];
    user[field] = key;
    return { me: this.changed(await this.users.save(user)), previous };
  }

  private changed(user: UserEntity): MeView {
    const me = toMeView(user);
    const event: UserUpdatedEvent = { userId: user.id, me };
    this.events.emit(USER_EVENTS.updated, event);
    return me;
  }
}
