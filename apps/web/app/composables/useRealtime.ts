import type { Ack, ClientToServerEvents, HandshakeErrorCode, ServerToClientEvents } from '@app/contracts';
import type { RealtimeListener, RealtimeSocket, RealtimeState } from '~/plugins/realtime.client';
import { useSessionStore } from '~/stores/session';
import { moveDelayMs } from '~/utils/realtime-move';

type ServerEvent = keyof ServerToClientEvents;
type ClientEvent = keyof ClientToServerEvents;
type AckData<E extends ClientEvent> = Parameters<ClientToServerEvents[E]>[1] extends (reply: Ack<infer T>) => void ? T : never;

const ACK_TIMEOUT_MS = 10_000;

/**
 * Owns the socket's life: connects while signed in, refreshes an expired token and reconnects
 * with backoff, and tells every store to catch up after each (re)connect or server `resync` hint,
 * since live pushes are best effort and the API's logs are the truth. When the instance holding
 * the socket stops (`server:shutdown`), it reconnects at once, to another instance. On the server it is inert.
 */
export function useRealtime() {
  const nuxtApp = useNuxtApp();
  const rt = (import.meta.client ? nuxtApp.$realtime : null) as RealtimeState | null;
  const session = useSessionStore();
  const status = computed(() => rt?.status.value ?? 'idle');
  const refusal = computed(() => rt?.refusal.value ?? null);

  function resyncAll(): void {
    for (const handler of rt?.resyncHandlers ?? []) handler();
  }

  function scheduleRetry(): void {
    if (!rt || rt.retryTimer) return;
    rt.retries += 1;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(rt.retries, 6)) * (0.5 + Math.random() / 2);
    rt.retryTimer = setTimeout(() => {
      rt.retryTimer = null;
      if (session.isSignedIn && navigator.onLine) rt.socket?.connect();
    }, delay);
  }

  async function renewAndRetry(): Promise<void> {
    if (await session.refresh()) scheduleRetry();
    else await navigateTo('/login');
  }

  /** The browser says the network is gone or back: act at once rather than after a ping timeout. */
  function followNetwork(socket: RealtimeSocket): void {
    window.addEventListener('offline', () => {
      if (!rt) return;
      rt.status.value = 'offline';
      socket.disconnect();
    });
    window.addEventListener('online', () => {
      if (!rt || socket.connected || !session.isSignedIn) return;
      rt.status.value = 'connecting';
      socket.connect();
    });
  }

  function wire(socket: RealtimeSocket): void {
    if (!rt) return;
    socket.auth = (cb: (data: object) => void) => cb({ token: session.accessToken ?? '' });
    // A visible, connected tab keeps push notifications of this session quiet (the server asks at each message).
    const reportVisibility = (): void => {
      if (socket.connected) socket.emit('presence:visibility', { visible: document.visibilityState === 'visible' }, () => undefined);
    };
    document.addEventListener('visibilitychange', reportVisibility);
    socket.on('connect', () => {
      reportVisibility();
      rt.retries = 0;
      rt.refusal.value = null;
      rt.status.value = 'online';
      resyncAll();
    });
    socket.on('server:shutdown', () => {
      rt.moving = true;
    });
    socket.on('disconnect', (reason) => {
      rt.status.value = 'offline';
      const delay = moveDelayMs(reason, rt.moving);
      rt.moving = false;
      if (delay !== null) {
        setTimeout(() => {
          if (session.isSignedIn && !socket.connected) socket.connect();
        }, delay);
      }
    });
    socket.on('resync', resyncAll);
    socket.on('connect_error', (err: Error & { data?: { code?: HandshakeErrorCode } }) => {
      rt.status.value = 'offline';
      const code = err.data?.code;
      if (code === 'TOKEN_EXPIRED' || code === 'TOKEN_INVALID') void renewAndRetry();
      else {
        if (code === 'ORIGIN_NOT_ALLOWED' || code === 'TOO_MANY_CONNECTIONS') rt.refusal.value = code;
        if (code === 'TOO_MANY_CONNECTIONS' || !socket.active) scheduleRetry();
      }
    });
    socket.on('session:closed', ({ reason }) => {
      if (reason === 'TOKEN_EXPIRED') {
        void renewAndRetry();
        return;
      }
      session.leave();
    });
    followNetwork(socket);
    watch(
      () => session.accessToken,
      (token) => {
        if (token && !socket.connected) {
          if (!navigator.onLine) {
            rt.status.value = 'offline';
            return;
          }
          rt.status.value = 'connecting';
          socket.connect();
        }
        if (!token && socket.connected) socket.disconnect();
      },
      { immediate: true },
    );
  }

  /** Loads the socket code and connects; the signed-in shell calls it once mounted. */
  function start(): void {
    if (!rt || rt.started) return;
    rt.started = true;
    void rt.load().then(wire);
  }

  /** Subscribes to a server event; returns the unsubscribe function. */
  function on<E extends ServerEvent>(event: E, handler: ServerToClientEvents[E]): () => void {
    if (!rt) return () => undefined;
    const listener: RealtimeListener = { event, handler: handler as never };
    rt.listeners.add(listener);
    rt.socket?.on(event, handler as never);
    return () => {
      rt.listeners.delete(listener);
      rt.socket?.off(event, handler as never);
    };
  }

  /** Runs after every (re)connect and `resync` hint: refetch what may have been missed. */
  function onResync(handler: () => void): () => void {
    rt?.resyncHandlers.add(handler);
    return () => rt?.resyncHandlers.delete(handler);
  }

  /** Emits a client event and resolves with its ack; rejects when offline or on timeout. */
  async function emitAck<E extends ClientEvent>(event: E, payload: Parameters<ClientToServerEvents[E]>[0]): Promise<Ack<AckData<E>>> {
    if (!rt?.socket?.connected) throw new Error('offline');
    const timed = rt.socket.timeout(ACK_TIMEOUT_MS) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<AckData<E>>> };
    return timed.emitWithAck(event, payload);
  }

  return { status, refusal, start, on, onResync, emitAck };
}
