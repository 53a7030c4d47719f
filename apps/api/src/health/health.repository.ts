import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** What the health check reads from the database besides the probe's `SELECT 1`. */
@Injectable()
export class HealthRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Push notifications waiting to be delivered (all instances). */
  async pendingPushes(): Promise<number> {
    const rows = (await this.db.query('SELECT count(*)::int AS n FROM push_jobs')) as { n: number }[];
    return rows[0].n;
  }
}
