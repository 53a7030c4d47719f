/**
 * One readable line per log record, for a person watching `npm start` (LOG_FORMAT=pretty); JSON
 * stays the format for machines. Nest's start-up chatter (every module and route it wires) is
 * left out unless LOG_LEVEL asks for debug.
 */
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

const START_UP_CHATTER = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'WebSocketsController', 'NestApplication']);

interface Record_ {
  level?: number;
  time?: number;
  context?: string;
  msg?: string;
  err?: { message?: string; stack?: string };
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
}

function clock(time: number | undefined): string {
  const d = time === undefined ? new Date() : new Date(time);
  return d.toTimeString().slice(0, 8);
}

/** The line to print for one JSON record, or null to print nothing. */
export function prettyLine(json: string, verbose: boolean): string | null {
  let rec: Record_;
  try {
    rec = JSON.parse(json) as Record_;
  } catch {
    return json.trimEnd();
  }
  const level = rec.level ?? 30;
  if (!verbose && level < 40 && rec.context && START_UP_CHATTER.has(rec.context)) return null;
  let text = rec.msg ?? '';
  if (rec.req && rec.res) text = `${rec.req.method ?? ''} ${rec.req.url ?? ''} ${rec.res.statusCode ?? ''} ${Math.round(rec.responseTime ?? 0)} ms ${text}`.trim();
  if (rec.err?.message && !text.includes(rec.err.message)) text = `${text}: ${rec.err.message}`;
  const head = `${clock(rec.time)} ${(LEVELS[level] ?? String(level)).padEnd(5)} ${rec.context ? `${rec.context}: ` : ''}${text}`;
  return level >= 50 && rec.err?.stack ? `${head}\n${rec.err.stack}` : head;
}

/** A pino destination writing pretty lines to `out`. */
export function prettyDestination(verbose: boolean, out: { write(s: string): unknown } = process.stdout): { write(s: string): void } {
  return {
    write(chunk: string): void {
      for (const json of chunk.split('\n')) {
        if (!json) continue;
        const line = prettyLine(json, verbose);
        if (line !== null) out.write(`${line}\n`);
      }
    },
  };
}
