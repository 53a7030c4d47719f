import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { dataSourceOptions, runMigrations } from './data-source.js';
import { DatabaseProbe } from './database-probe.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.js';

let embedded: EmbeddedDatabase | null = null;

async function resolveUrl(config: AppConfig): Promise<string> {
  if (config.db.url) return config.db.url;
  embedded ??= await startEmbeddedPostgres(config.db.embeddedDir, config.db.embeddedPort);
  return embedded.url;
}

/** TypeORM on DATABASE_URL, or on an embedded PostgreSQL when it is unset; migrations run at start. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        const url = await resolveUrl(config);
        await runMigrations(url, config.db.timeouts);
        return dataSourceOptions(url, config.db.timeouts);
      },
    }),
  ],
  providers: [DatabaseProbe],
  exports: [DatabaseProbe],
})
export class DatabaseModule implements OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseModule.name);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onApplicationShutdown(): Promise<void> {
    if (embedded && !this.config.db.url) {
      this.logger.log('stopping embedded PostgreSQL');
      await embedded.stop();
      embedded = null;
    }
  }
}
