import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, QueryConfig } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { databaseOutage } from '../common/errors/outage-log.js';

/**
 * `SELECT 1` within the health timeout, however the database fails (refusing, frozen, out of
 * connections). The health check asks it, and so does the outage log, to tell when an outage ends.
 */
@Injectable()
export class DatabaseProbe implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly pool: Pool;
  private readonly timeoutMs: number;

  constructor(@InjectDataSource() db: DataSource, @Inject(APP_CONFIG) config: AppConfig) {
    this.pool = (db.driver as unknown as { master: Pool }).master;
    this.timeoutMs = config.db.timeouts.healthMs;
  }

  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Query read timeout')), this.timeoutMs);
    });
    // node-postgres reads a per-query query_timeout; its type declarations do not list it.
    const query: QueryConfig & { query_timeout: number } = { text: 'SELECT 1', query_timeout: this.timeoutMs };
    try {
      const answer = this.pool.query(query);
      // When `silent` wins, the query's own late failure is no one's to handle.
      answer.catch(() => undefined);
      await Promise.race([answer, silent]);
    } finally {
      clearTimeout(timer);
    }
  }

  onApplicationBootstrap(): void {
    databaseOutage.watch(() => this.ping());
  }

  onApplicationShutdown(): void {
    databaseOutage.watch(null);
  }
}
