import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DataSource } from 'typeorm';
import type { HealthView } from '@app/contracts';

@Injectable()
export class HealthService {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check(): Promise<HealthView> {
    const database = await this.db.query('SELECT 1').then(
      () => 'up' as const,
      () => 'down' as const,
    );
    return {
      status: database === 'up' ? 'ok' : 'degraded',
      checks: { database },
      version: this.config.version,
    };
  }
}
