import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig, type AppConfig } from './config/app-config.js';
import { createApp } from './app.setup.js';

let config: AppConfig;
try {
  config = loadConfig();
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
const app = await createApp(config);
await app.listen(config.port, config.host);

const realtime = config.redis.url ? 'real time over Redis' : 'real time in-process';
const media = config.media.s3 ? `media in S3 bucket ${config.media.s3.bucket}` : `media on disk in ${config.media.dir}`;
new Logger('Main').log(`API listening on port ${config.port} (/api, docs at /api/docs); ${realtime}; ${media}`);
