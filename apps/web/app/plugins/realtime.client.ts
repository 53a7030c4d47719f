import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@app/contracts';

export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Per-tab connection state, owned by the plugin (never module-level). */
export interface RealtimeState {
  socket: RealtimeSocket;
  status: Ref<'idle' | 'connecting' | 'online' | 'offline'>;
  resyncHandlers: Set<() => void>;
  started: boolean;
  retries: number;
  retryTimer: ReturnType<typeof setTimeout> | null;
}

/**
 * The one Socket.IO connection of this tab. It is created idle; useRealtime() connects it once
 * signed in, with the access token in the handshake `auth` (read again on every reconnect).
 */
export default defineNuxtPlugin(() => {
  const { socketUrl } = useRuntimeConfig().public;
  const options = {
    path: '/socket.io',
    transports: ['websocket', 'polling'],
    autoConnect: false,
    reconnectionDelay: 500,
    reconnectionDelayMax: 10_000,
    randomizationFactor: 0.5,
  };
  const socket: RealtimeSocket = socketUrl ? io(String(socketUrl), options) : io(options);
  const state: RealtimeState = { socket, status: ref('idle'), resyncHandlers: new Set(), started: false, retries: 0, retryTimer: null };
  return { provide: { realtime: state } };
});
