import type { LogStream } from '../../src/config/app-config.js';

export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

/** pino's numeric levels. */
export const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

/** Every JSON line an API instance logged (pass it to createTestApp with a LOG_LEVEL). */
export class LogCapture implements LogStream {
  readonly lines: LogLine[] = [];
  private readonly raw: string[] = [];

  write(line: string): void {
    this.raw.push(line);
    for (const part of line.split('\n')) {
      if (part.trim()) this.lines.push(JSON.parse(part) as LogLine);
    }
  }

  /** Everything logged so far, as text (to look for what must never be there). */
  text(): string {
    return this.raw.join('');
  }

  atLeast(level: number): LogLine[] {
    return this.lines.filter((l) => l.level >= level);
  }

  clear(): void {
    this.lines.length = 0;
    this.raw.length = 0;
  }
}
