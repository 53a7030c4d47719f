import 'reflect-metadata';
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
