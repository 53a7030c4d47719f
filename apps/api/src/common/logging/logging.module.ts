import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { redact } from './redact.js';
import { prettyDestination } from './pretty.js';
import { serializeError } from './error-serializer.js';

const REQUEST_ID = /^[\w.-]{8,64}$/;

/** A request id taken from X-Request-Id when sane, else made; echoed back in the response. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * Logs through pino, with the request id bound to every line logged while serving it: JSON
 * (LOG_FORMAT=json, the default in production) or one readable line each (LOG_FORMAT=pretty).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const options: Options = {
          level: config.log.level,
          genReqId: requestId,
          // 503 is a dependency outage or a full queue, told once by the outage log: not an error per request.
          customLogLevel: (_req, res, err) => (res.statusCode !== 503 && (err || res.statusCode >= 500) ? 'error' : 'debug'),
          redact: {
            paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
            censor: '[redacted]',
          },
          formatters: { log: (obj: Record<string, unknown>) => redact(obj) as Record<string, unknown> },
          serializers: {
            err: serializeError,
            req: (req: { id: string; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              url: req.url.replace(/token=[^&]+/g, 'token=[redacted]').replace(/([?&]k)=[^&]+/g, '$1=[redacted]'),
            }),
          },
        };
        if (config.log.stream) return { pinoHttp: [options, config.log.stream] };
        if (config.log.format === 'json') return { pinoHttp: options };
        const verbose = config.log.level === 'debug' || config.log.level === 'trace';
        return { pinoHttp: [options, prettyDestination(verbose)] };
      },
    }),
  ],
})
export class LoggingModule {}
