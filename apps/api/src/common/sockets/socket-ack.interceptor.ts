import { Inject, Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MESSAGE_METADATA } from '@nestjs/websockets/constants.js';
import { catchError, map, of, type Observable } from 'rxjs';
import type { Ack } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { DomainError } from '../errors/domain-error.js';
import { toApiError } from '../errors/to-api-error.js';
import { depthProblem } from '../errors/input-text.js';
import { EPHEMERAL } from './ephemeral.js';

/** The size of a decoded event payload as JSON, in bytes (what the client sent, give or take framing). */
export function payloadBytes(value: unknown): number {
  if (value === undefined) return 0;
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/** The handshake-to-ack pipeline of every gateway handler: ack rule, size cap, result and error shape. */
@Injectable()
export class SocketAckInterceptor implements NestInterceptor {
  private readonly logger = new Logger('SocketAck');
  /** Event names already reported as sent without an ack: each is logged once per instance. */
  private readonly unacked = new Set<string>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<Ack<unknown> | undefined> {
    if (context.getType() !== 'ws') return next.handle() as Observable<undefined>;
    const hasAck = typeof context.getArgByIndex(2) === 'function';
    const ephemeral = this.reflector.get<boolean | undefined>(EPHEMERAL, context.getHandler()) === true;
    if (!hasAck && !ephemeral) {
      this.refuseUnacked(context);
      return of(undefined);
    }
    const payload: unknown = context.switchToWs().getData();
    // Measuring the size recurses into the payload: a too deeply nested one is refused first, by its field.
    const tooDeep = depthProblem(payload);
    if (tooDeep) return of(this.failure(new DomainError('VALIDATION_FAILED', 'Invalid input', [tooDeep])));
    const bytes = payloadBytes(payload);
    const max = this.config.realtime.eventMaxBytes;
    if (bytes > max) {
      return of(this.failure(new DomainError('PAYLOAD_TOO_LARGE', `The event is larger than ${max} bytes, the most accepted`)));
    }
    return next.handle().pipe(
      map((data: unknown): Ack<unknown> => ({ ok: true, data: data ?? null })),
      catchError((error: unknown) => of(this.failure(error))),
    );
  }

  private failure(error: unknown): Ack<unknown> {
    const mapped = toApiError(error);
    if (mapped.unexpected) this.logger.error({ err: error }, 'socket handler failed');
    return { ok: false, error: mapped.body };
  }

  private refuseUnacked(context: ExecutionContext): void {
    const event = this.reflector.get<string | undefined>(MESSAGE_METADATA, context.getHandler()) ?? context.getHandler().name;
    if (this.unacked.has(event)) return;
    this.unacked.add(event);
    this.logger.warn(`refused "${event}" sent without an ack callback (not executed; logged once per event)`);
  }
}
