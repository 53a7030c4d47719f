import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { redact } from './redact.js';

const REQUEST_ID = /^[\w.-]{8,64}$/;

/** A request id taken from X-Request-Id when sane, else made; echoed back in the response. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/** JSON logs through pino, with the request id bound to every line logged while serving it. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.log.level,
          genReqId: requestId,
          customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'debug'),
          redact: {
            paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
            censor: '[redacted]',
          },
          formatters: { log: (obj: Record<string, unknown>) => redact(obj) as Record<string, unknown> },
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              url: req.url.replace(/token=[^&]+/g, 'token=[redacted]').replace(/([?&]k)=[^&]+/g, '$1=[redacted]'),
            }),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
