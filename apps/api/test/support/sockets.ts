import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '@app/contracts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type EventName = keyof ServerToClientEvents;
type EventArg<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

const open: ClientSocket[] = [];

/** A real socket.io-client connected with the token in the handshake `auth`. */
export function connect(url: string, token: string | undefined, opts: { origin?: string } = {}): ClientSocket {
  const socket: ClientSocket = io(url, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: token === undefined ? {} : { token },
    reconnection: false,
    forceNew: true,
    extraHeaders: opts.origin ? { Origin: opts.origin } : undefined,
  });
  open.push(socket);
  return socket;
}

/** Connects and waits for the server to accept. */
export async function connected(url: string, token: string): Promise<ClientSocket> {
  const socket = connect(url, token);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (e) => reject(e));
  });
  return socket;
}

export function closeAllSockets(): void {
  for (const s of open.splice(0)) s.disconnect();
}

/** Resolves with the first `event` whose payload satisfies `predicate`. */
export function waitForEvent<E extends EventName>(
  socket: ClientSocket,
  event: E,
  predicate: (payload: EventArg<E>) => boolean = () => true,
  ms = 5000,
): Promise<EventArg<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`no ${String(event)} within ${ms} ms`));
    }, ms);
    const handler = (payload: EventArg<E>): void => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler as never);
      resolve(payload);
    };
    socket.on(event, handler as never);
  });
}

/** Collects every `event` from now on (for "received exactly once" and "never received" checks). */
export function record<E extends EventName>(socket: ClientSocket, event: E): EventArg<E>[] {
  const seen: EventArg<E>[] = [];
  socket.on(event, ((payload: EventArg<E>) => seen.push(payload)) as never);
  return seen;
}

/** The refusal a handshake ended with. */
export function connectError(socket: ClientSocket, ms = 5000): Promise<{ message: string; data?: { code?: string } }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no connect_error')), ms);
    socket.once('connect', () => reject(new Error('connected unexpectedly')));
    socket.once('connect_error', (e: Error & { data?: { code?: string } }) => {
      clearTimeout(timer);
      resolve({ message: e.message, data: e.data });
    });
  });
}

/** Emits a client event and waits for its ack. */
export function emitAck<E extends keyof ClientToServerEvents, T>(
  socket: ClientSocket,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
  ms = 5000,
): Promise<Ack<T>> {
  return (socket.timeout(ms) as unknown as {
    emitWithAck: (e: string, p: unknown) => Promise<Ack<T>>;
  }).emitWithAck(event, payload);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
