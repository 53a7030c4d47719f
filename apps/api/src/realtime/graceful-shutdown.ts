import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Ack } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { PresenceService } from '../presence/presence.service.js';
import { RealtimeServer } from './realtime.server.js';
import type { RealtimeSocket } from './realtime.types.js';

const RETRY_AFTER_MS = 1_000;

/**
 * A graceful stop (SIGTERM, or `app.close()`), before pools close:
 * 1. stop accepting: the listening socket closes (new connections go to other instances), idle
 *    keep-alive connections close, and responses still served say `Connection: close`;
 * 2. tell every socket here `server:shutdown {reason: SERVER_RESTART}`, refuse events that come
 *    after it with `UNAVAILABLE` + `retryAfterMs`, answer the events already received, then close
 *    the sockets (clients reconnect elsewhere and catch up);
 * 3. wait for in-flight HTTP requests (and the sends they carry) to finish;
 * 4. release presence: users who did not reconnect elsewhere by then go offline.
 * Steps 2–3 wait at most SHUTDOWN_GRACE_SECONDS; what is still running then is cut off.
 */
@Injectable()
export class GracefulShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger(GracefulShutdown.name);
  private draining = false;
  private httpInFlight = 0;
  private socketInFlight = 0;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly realtime: RealtimeServer,
    private readonly presence: PresenceService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get isDraining(): boolean {
    return this.draining;
  }

  /** Express middleware counting requests in flight. */
  readonly http = (_req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    this.httpInFlight += 1;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      this.httpInFlight -= 1;
    };
    res.once('finish', finish);
    res.once('close', finish);
    if (this.draining) res.setHeader('Connection', 'close');
    next();
  };

  /** Counts a socket's events in flight until their ack, and refuses new ones while draining. */
  track(socket: RealtimeSocket): void {
    socket.use((packet, next) => {
      const last = packet.length - 1;
      const ack: unknown = packet[last];
      if (typeof ack !== 'function') return next();
      if (this.draining) {
        const refused: Ack<never> = { ok: false, error: { code: 'UNAVAILABLE', message: 'The server is restarting: send again once reconnected', retryAfterMs: RETRY_AFTER_MS } };
        (ack as (reply: unknown) => void)(refused);
        return;
      }
      this.socketInFlight += 1;
      let answered = false;
      packet[last] = (...reply: unknown[]): void => {
        if (!answered) this.socketInFlight -= 1;
        answered = true;
        (ack as (...args: unknown[]) => void)(...reply);
      };
      next();
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    const started = Date.now();
    const deadline = started + this.config.shutdownGraceMs;
    this.presence.startDrain();
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    server?.close();
    server?.closeIdleConnections();
    const io = this.realtime.attached;
    if (io) {
      io.local.emit('server:shutdown', { reason: 'SERVER_RESTART' });
      await this.until(() => this.socketInFlight === 0, deadline);
      // Namespace-level disconnect over a still open transport: the client reliably sees
      // "io server disconnect" (closing the transport at once could race the packet).
      io.local.disconnectSockets(false);
      // Wait (briefly) for the clients to close their side: the process exiting with their unread
      // data could reset the connection and lose the packet.
      await this.until(() => io.engine.clientsCount === 0, Math.min(deadline, Date.now() + 2_000));
    }
    await this.until(() => this.httpInFlight === 0, deadline);
    server?.closeIdleConnections();
    await this.presence.release().catch((e: unknown) => this.logger.warn({ err: e }, 'presence release failed'));
    const cut = this.httpInFlight + this.socketInFlight;
    this.logger.log(`drained in ${Date.now() - started} ms${cut > 0 ? ` (${cut} requests cut off at the grace limit)` : ''}`);
  }

  private async until(done: () => boolean, deadline: number): Promise<void> {
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }
}
