import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { modifyReturning } from '../database/sql.js';
import type { BlockEntity } from './entities/block.entity.js';
import type { TimeKey } from '../common/pagination/cursor.js';

interface BlockRow {
  blocker_id: string;
  blocked_id: string;
  created_at: Date;
}

const toEntity = (r: BlockRow): BlockEntity => ({ blockerId: r.blocker_id, blockedId: r.blocked_id, createdAt: r.created_at });

@Injectable()
export class BlocksRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** True when the block is new (blocking twice changes nothing). */
  async insert(m: EntityManager, blockerId: string, blockedId: string): Promise<boolean> {
    const rows: BlockRow[] = await m.query(
      'INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING *',
      [blockerId, blockedId],
    );
    return rows.length > 0;
  }

  async remove(blockerId: string, blockedId: string): Promise<boolean> {
    const rows = await modifyReturning<BlockRow>(this.db.manager,
      'DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2 RETURNING *',
      [blockerId, blockedId],
    );
    return rows.length > 0;
  }

  async eitherWay(a: string, b: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      'SELECT 1 FROM blocks WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1)',
      [a, b],
    );
    return rows.length > 0;
  }

  /** The users the blocker blocked, newest first. */
  async list(blockerId: string, after: TimeKey, take: number): Promise<BlockEntity[]> {
    const rows: BlockRow[] = await this.db.query(
      `SELECT * FROM blocks WHERE blocker_id = $1 AND (created_at, blocked_id) < ($2::timestamptz, $3::uuid)
       ORDER BY created_at DESC, blocked_id DESC LIMIT $4`,
      [blockerId, after.at, after.id, take],
    );
    return rows.map(toEntity);
  }
}
