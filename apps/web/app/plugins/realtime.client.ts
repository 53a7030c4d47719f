import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, HandshakeErrorCode, ServerToClientEvents } from '@app/contracts';

export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A handler registered with useRealtime().on(), kept so it is attached once the socket exists. */
export interface RealtimeListener {
  event: keyof ServerToClientEvents;
  handler: (...args: never[]) => void;
}

/** Per-tab connection state, owned by the plugin (never module-level). */
export interface RealtimeState {
  /** Null until the signed-in shell asks for it: socket.io-client is not part of the sign-in pages. */
  socket: RealtimeSocket | null;
  /** Loads socket.io-client and creates the socket (idle), once. */
  load(): Promise<RealtimeSocket>;
  listeners: Set<RealtimeListener>;
  status: Ref<'idle' | 'connecting' | 'online' | 'offline'>;
  /** Why the server refused the connection, shown to the user until it connects. */
  refusal: Ref<HandshakeErrorCode | null>;
  resyncHandlers: Set<() => void>;
  started: boolean;
  retries: number;
  retryTimer: ReturnType<typeof setTimeout> | null;
  /** The server said it is stopping (`server:shutdown`): its disconnect means "move", not "stay closed". */
  moving: boolean;
}

/**
 * The one Socket.IO connection of this tab. It is created idle when first needed; useRealtime()
 * connects it once signed in, with the access token in the handshake `auth` (read again on every
 * reconnect). By default it goes to the site's own origin, which relays it to the API.
 */
export default defineNuxtPlugin(() => {
  const { socketUrl } = useRuntimeConfig().public;
  let loading: Promise<RealtimeSocket> | null = null;
  const state: RealtimeState = {
    socket: null,
    listeners: new Set(),
    status: ref('idle'),
    refusal: ref(null),
    resyncHandlers: new Set(),
    started: false,
    retries: 0,
    retryTimer: null,
    moving: false,
    load() {
      loading ??= import('socket.io-client').then(({ io }) => {
        const options = {
          path: '/socket.io',
          transports: ['websocket', 'polling'],
          autoConnect: false,
          reconnectionDelay: 500,
          reconnectionDelayMax: 10_000,
          randomizationFactor: 0.5,
        };
        const socket: RealtimeSocket = socketUrl ? io(String(socketUrl), options) : io(options);
        for (const l of state.listeners) socket.on(l.event, l.handler as never);
        state.socket = socket;
        return socket;
      });
      return loading;
    },
  };
  return { provide: { realtime: state } };
});
