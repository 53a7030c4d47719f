import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { modifyReturning } from '../database/sql.js';

/** Password recovery tokens, stored as their SHA-256; each is used at most once. */
@Injectable()
export class PasswordResetsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(userId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.db.query('INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES ($1, $2, $3)', [userId, tokenHash, expiresAt]);
  }

  /** Marks a live token used and returns whose it was; null when it is unknown, used or expired (the UPDATE decides races). */
  async redeem(m: EntityManager, tokenHash: string): Promise<string | null> {
    const rows = await modifyReturning<{ user_id: string }>(
      m,
      `UPDATE password_resets SET used_at = now()
       WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
      [tokenHash],
    );
    return rows[0]?.user_id ?? null;
  }

  /** Every other token of the user stops working too. */
  async useAll(m: EntityManager, userId: string): Promise<void> {
    await m.query('UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL', [userId]);
  }
}
