import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Ack } from '@app/contracts';
import { toApiError } from '../errors/to-api-error.js';

/**
 * The last line behind SocketAckInterceptor: anything thrown outside it (a guard, the interceptor
 * itself) is answered as one failed ack, never as Nest's `exception` event (which is no ack and
 * echoes the payload back).
 */
@Catch()
export class SocketAckFilter implements ExceptionFilter {
  private readonly logger = new Logger('SocketAck');

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'ws') throw error;
    const mapped = toApiError(error);
    if (mapped.unexpected) this.logger.error({ err: error }, 'socket handler failed');
    const ack: unknown = host.getArgByIndex(2);
    if (typeof ack === 'function') (ack as (reply: Ack<never>) => void)({ ok: false, error: mapped.body });
  }
}
