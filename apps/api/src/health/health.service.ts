import { Inject, Injectable } from '@nestjs/common';
import type { HealthView } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { databaseUnavailableReason } from '../common/errors/dependency-errors.js';
import { databaseOutage } from '../common/errors/outage-log.js';
import { DatabaseProbe } from '../database/database-probe.js';
import { HealthRepository } from './health.repository.js';

@Injectable()
export class HealthService {
  constructor(
    private readonly probe: DatabaseProbe,
    private readonly db: HealthRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `degraded` (answered 503) as soon as the database does not answer within the health timeout. */
  async check(): Promise<HealthView> {
    const database = await this.probe.ping().then(
      () => {
        databaseOutage.served();
        return 'up' as const;
      },
      (e: unknown) => {
        databaseOutage.failed(databaseUnavailableReason(e) ?? 'health check failed');
        return 'down' as const;
      },
    );
    const push = database === 'up' ? await this.db.pendingPushes().catch(() => null) : null;
    return {
      status: database === 'up' ? 'ok' : 'degraded',
      checks: { database },
      queues: { push },
      version: this.config.version,
    };
  }
}
