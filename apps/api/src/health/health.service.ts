import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HealthView } from '@app/contracts';

@Injectable()
export class HealthService {
  constructor(private readonly db: DataSource) {}

  async check(): Promise<HealthView> {
    const database = await this.db.query('SELECT 1').then(
      () => 'up' as const,
      () => 'down' as const,
    );
    return {
      status: database === 'up' ? 'ok' : 'degraded',
      checks: { database },
      version: process.env.npm_package_version ?? '0.1.0',
    };
  }
}
