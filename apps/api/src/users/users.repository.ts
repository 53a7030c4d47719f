import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository, type EntityManager } from 'typeorm';
import { modifyReturning } from '../database/sql.js';
import { UserEntity } from './entities/user.entity.js';

export type NewUserRow = Pick<UserEntity, 'username' | 'usernameKey' | 'email' | 'emailKey' | 'displayName' | 'passwordHash' | 'locale'>;

/** The users table: accounts, profiles and settings, the password hash, last seen. */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  /** Inserts a new account; the unique username and e-mail keys refuse duplicates. */
  insert(row: NewUserRow): Promise<UserEntity> {
    return this.users.save(this.users.create(row));
  }

  /** Writes the changed fields of a loaded user back. */
  save(user: UserEntity): Promise<UserEntity> {
    return this.users.save(user);
  }

  byId(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  byIds(ids: string[]): Promise<UserEntity[]> {
    return ids.length ? this.users.findBy({ id: In(ids) }) : Promise.resolve([]);
  }

  byUsernameKey(usernameKey: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ usernameKey });
  }

  byEmailKey(emailKey: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ emailKey });
  }

  /** The one place a password changes (sign-in settings and recovery), in the caller's transaction when given. */
  async setPasswordHash(id: string, passwordHash: string, m: EntityManager = this.users.manager): Promise<void> {
    await m.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [id, passwordHash]);
  }

  /**
   * Stamps "last seen" at `at` for these users, never moving it back; returns what is stored (users
   * that no longer exist are left out).
   */
  async markSeen(ids: string[], at: Date): Promise<{ id: string; lastSeenAt: Date }[]> {
    if (ids.length === 0) return [];
    const rows = await modifyReturning<{ id: string; last_seen_at: Date }>(
      this.users.manager,
      `UPDATE users SET last_seen_at = GREATEST(COALESCE(last_seen_at, $2), $2)
        WHERE id = ANY($1::uuid[]) RETURNING id, last_seen_at`,
      [ids, at],
    );
    return rows.map((r) => ({ id: r.id, lastSeenAt: r.last_seen_at }));
  }
}
