import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

type Trust = (address: string, hop: number) => boolean;

/** The same reading of TRUST_PROXY as Express's `trust proxy` (true, false, a hop count, or names and ranges). */
function compileTrust(setting: string | boolean): Trust {
  if (typeof setting === 'boolean') return () => setting;
  if (/^\d+$/.test(setting)) {
    const hops = Number(setting);
    return (_address, hop) => hop < hops;
  }
  return proxyaddr.compile(setting.split(',').map((s) => s.trim()).filter(Boolean));
}

export interface EngineConnection {
  request: IncomingMessage;
  once(event: 'close', listener: () => void): unknown;
  close(): void;
}

/**
 * Engine.IO sessions that have not (yet) become an authenticated socket, counted per remote address
 * (the client's, through trusted proxies). Past the cap, new sessions from that address are refused
 * at the HTTP handshake, and a session that slipped past a concurrent check is closed on arrival.
 * A session stops counting once its socket is connected or once it closes.
 */
export class PendingSessions {
  private readonly pending = new Map<string, number>();
  private readonly counted = new WeakMap<EngineConnection, string>();
  private readonly trust: Trust;

  constructor(
    private readonly max: number,
    trustProxy: string | boolean,
  ) {
    this.trust = compileTrust(trustProxy);
  }

  addressOf(req: IncomingMessage): string {
    return proxyaddr(req, this.trust);
  }

  /** Engine.IO's `allowRequest`: the fast refusal, before a session is made. */
  readonly allowRequest = (req: IncomingMessage, answer: (error: string | null | undefined, ok: boolean) => void): void => {
    const full = (this.pending.get(this.addressOf(req)) ?? 0) >= this.max;
    answer(full ? 'TOO_MANY_CONNECTIONS' : null, !full);
  };

  /** A new engine session: counted in one synchronous step, or closed when its address is full. */
  opened(conn: EngineConnection): void {
    const address = this.addressOf(conn.request);
    const n = this.pending.get(address) ?? 0;
    if (n >= this.max) {
      conn.close();
      return;
    }
    this.pending.set(address, n + 1);
    this.counted.set(conn, address);
    conn.once('close', () => this.settled(conn));
  }

  /** The session's socket is authenticated and connected (or the session closed): it no longer counts. */
  settled(conn: EngineConnection): void {
    const address = this.counted.get(conn);
    if (address === undefined) return;
    this.counted.delete(conn);
    const left = (this.pending.get(address) ?? 1) - 1;
    if (left > 0) this.pending.set(address, left);
    else this.pending.delete(address);
  }

  /** Sessions pending per address now (for tests and diagnostics). */
  count(address: string): number {
    return this.pending.get(address) ?? 0;
  }
}
