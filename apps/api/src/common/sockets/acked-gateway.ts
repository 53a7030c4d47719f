import { applyDecorators, UseFilters, UseInterceptors } from '@nestjs/common';
import { WebSocketGateway } from '@nestjs/websockets';
import { SocketAckFilter } from './socket-ack.filter.js';
import { SocketAckInterceptor } from './socket-ack.interceptor.js';

export { Ephemeral } from './ephemeral.js';

/**
 * The one way to declare a gateway. Handlers return their result (or throw a DomainError) and the
 * framework answers exactly one ack, `{ok:true,data}` or `{ok:false,error}`; payloads are validated by
 * the DTO type of `@MessageBody()` through the app's validation pipe (VALIDATION_FAILED in the ack).
 * An event sent without an ack callback is refused unless its handler is @Ephemeral(); an event
 * larger than SOCKET_EVENT_MAX_BYTES is answered PAYLOAD_TOO_LARGE without running the handler.
 */
export function AckedGateway(): ClassDecorator {
  return applyDecorators(WebSocketGateway(), UseInterceptors(SocketAckInterceptor), UseFilters(SocketAckFilter));
}
