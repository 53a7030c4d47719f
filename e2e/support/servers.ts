import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { createTestApp, type TestApp, type TestEnv } from '../../apps/api/test/support/app.js';
import { freePort } from '../../apps/api/test/support/ports.js';

export interface Site {
  api: TestApp;
  /** The web app's base URL (Nuxt production build served by Nitro). */
  baseUrl: string;
  stop(): Promise<void>;
}

async function waitForHttp(url: string, ms: number, proc: ChildProcess): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`web server exited with ${proc.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

/** More environment for the web server, or a function of the API's URL that returns it. */
export type WebEnv = TestEnv | ((apiUrl: string) => TestEnv);

/**
 * Starts the real API (in this process, on the test database) and the built web app in front of
 * it; `webEnv` adds to the web server's environment.
 */
export async function startSite(env: TestEnv = {}, webEnv: WebEnv = {}): Promise<Site> {
  const entry = join(process.cwd(), '.output/server/index.mjs');
  if (!existsSync(entry)) throw new Error('the web app is not built: run `npm run build:web` (npm test does it)');
  const webPort = await freePort();
  const baseUrl = `http://127.0.0.1:${webPort}`;
  // The browser tests share two cores with Chromium and the web server: there, opening a pooled
  // connection can outlast production's 2 s. Outage answers are tested in the API suite, with the defaults.
  const api = await createTestApp({ PUBLIC_URL: baseUrl, CORS_ORIGINS: baseUrl, DB_ACQUIRE_TIMEOUT_MS: '10000', ...env });
  const apiUrl = await api.listen();
  const web = spawn(process.execPath, [entry], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      // A server clock in UTC, like most hosts: pages must still show each user their own zone.
      TZ: 'UTC',
      PORT: String(webPort),
      HOST: '127.0.0.1',
      NITRO_PORT: String(webPort),
      NITRO_HOST: '127.0.0.1',
      NUXT_API_INTERNAL_URL: apiUrl,
      ...(typeof webEnv === 'function' ? webEnv(apiUrl) : webEnv),
    },
    stdio: ['ignore', process.env.WEB_STDOUT ? 'inherit' : 'ignore', process.env.WEB_STDOUT ? 'inherit' : 'pipe'],
  });
  let stderr = '';
  web.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  try {
    await waitForHttp(`${baseUrl}/login`, 20_000, web);
  } catch (e) {
    web.kill('SIGKILL');
    await api.close();
    throw new Error(`${(e as Error).message}\n${stderr}`);
  }
  return {
    api,
    baseUrl,
    async stop() {
      // Wait for the web server to be gone, so no child process outlives the test file.
      const exited = web.exitCode !== null ? Promise.resolve() : new Promise<void>((resolve) => web.once('exit', () => resolve()));
      web.kill('SIGTERM');
      const force = setTimeout(() => web.kill('SIGKILL'), 5000);
      await Promise.all([exited, api.close()]);
      clearTimeout(force);
    },
  };
}

/** Debian's Chromium, headless, with the flags this sandboxed, offline machine needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : '/usr/bin/chromium-browser'),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      // The microphone is Chromium's fake device (a beeping tone), granted without asking.
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  });
}

export interface Stage {
  readonly site: Site;
  readonly browser: Browser;
}

/** The site and Chromium for one spec file: started before its tests, stopped after them. */
export function useSiteAndBrowser(env: TestEnv = {}, webEnv: WebEnv = {}): Stage {
  const stage = {} as { site: Site; browser: Browser };
  beforeAll(async () => {
    stage.site = await startSite(env, webEnv);
    stage.browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await stage.browser?.close();
    await stage.site?.stop();
  });
  return stage;
}
