import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The ffmpeg / ffprobe to run: the configured path, else the static Linux x64 builds that the npm
 * packages @ffmpeg-installer/linux-x64 and @ffprobe-installer/linux-x64 ship inside themselves.
 */
export function resolveBinary(name: 'ffmpeg' | 'ffprobe', configured: string | null): string {
  if (configured) return configured;
  const pkg = name === 'ffmpeg' ? '@ffmpeg-installer/linux-x64' : '@ffprobe-installer/linux-x64';
  try {
    return join(dirname(require.resolve(`${pkg}/package.json`)), name);
  } catch {
    return name; // not installed (another platform): whatever is on PATH
  }
}

/** Whether a binary can be run (for a clear error at start instead of a 500 on the first video). */
export function isExecutable(path: string): boolean {
  if (!path.includes('/')) return true;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export class ProcessFailed extends Error {
  constructor(readonly code: number | null, readonly stderr: string) {
    super(`process exited with ${code}: ${stderr.slice(0, 500)}`);
    this.name = 'ProcessFailed';
  }
}

const OUTPUT_MAX = 2 * 1024 * 1024;

/** Runs a binary without a shell; SIGKILL on abort; stdout (as text) and stderr kept up to 2 MiB each. */
export async function run(bin: string, args: string[], signal: AbortSignal): Promise<string> {
  return (await runBytes(bin, args, signal)).toString('utf8');
}

/** As `run`, with stdout as bytes (decoded samples, for instance). */
export function runBytes(bin: string, args: string[], signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], signal, killSignal: 'SIGKILL' });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    child.stdout.on('data', (c: Buffer) => {
      outBytes += c.length;
      if (outBytes <= OUTPUT_MAX) out.push(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      errBytes += c.length;
      if (errBytes <= OUTPUT_MAX) err.push(c);
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new ProcessFailed(code, Buffer.concat(err).toString('utf8')));
    });
  });
}
