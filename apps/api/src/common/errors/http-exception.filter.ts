import { ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { toApiError } from './to-api-error.js';

/**
 * Every HTTP error leaves as `{"error":{code,message,details?}}`. Errors nobody raised on purpose are
 * logged with the request id; a 503 for a dependency outage is not (the outage log tells it once).
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request & { id?: string }>();
    const { status, body, unexpected } = toApiError(exception);
    if (unexpected || (status >= 500 && status !== 503)) {
      this.logger.error({ err: exception, requestId: req.id }, `unhandled error on ${req.method} ${req.path}`);
    }
    if (body.retryAfterMs !== undefined) {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(body.retryAfterMs / 1000))));
    }
    if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
    if (status === 503 && !res.getHeader('Retry-After')) res.setHeader('Retry-After', '5');
    if (res.headersSent) return;
    res.status(status).json({ error: body });
  }
}
