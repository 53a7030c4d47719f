import type { Ack, ClientToServerEvents, ServerToClientEvents } from '@app/contracts';
import type { RealtimeState } from '~/plugins/realtime.client';
import { useSessionStore } from '~/stores/session';

type ServerEvent = keyof ServerToClientEvents;
type ClientEvent = keyof ClientToServerEvents;
type AckData<E extends ClientEvent> = Parameters<ClientToServerEvents[E]>[1] extends (reply: Ack<infer T>) => void ? T : never;

const ACK_TIMEOUT_MS = 10_000;

/**
 * Owns the socket's life: connects while signed in, refreshes an expired token and reconnects
 * with backoff, and tells every store to catch up after each (re)connect or server `resync` hint,
 * since live pushes are best effort and the API's logs are the truth. On the server it is inert.
 */
export function useRealtime() {
  const nuxtApp = useNuxtApp();
  const rt = (import.meta.client ? nuxtApp.$realtime : null) as RealtimeState | null;
  const session = useSessionStore();
  const status = computed(() => rt?.status.value ?? 'idle');

  function resyncAll(): void {
    for (const handler of rt?.resyncHandlers ?? []) handler();
  }

  function scheduleRetry(): void {
    if (!rt || rt.retryTimer) return;
    rt.retries += 1;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(rt.retries, 6)) * (0.5 + Math.random() / 2);
    rt.retryTimer = setTimeout(() => {
      rt.retryTimer = null;
      if (session.isSignedIn) rt.socket.connect();
    }, delay);
  }

  async function renewAndRetry(): Promise<void> {
    if (await session.refresh()) scheduleRetry();
    else await navigateTo('/login');
  }

  function start(): void {
    if (!rt || rt.started) return;
    rt.started = true;
    const { socket } = rt;
    socket.auth = (cb: (data: object) => void) => cb({ token: session.accessToken ?? '' });
    socket.on('connect', () => {
      rt.retries = 0;
      rt.status.value = 'online';
      resyncAll();
    });
    socket.on('disconnect', () => {
      rt.status.value = 'offline';
    });
    socket.on('resync', resyncAll);
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      rt.status.value = 'offline';
      const code = err.data?.code;
      if (code === 'TOKEN_EXPIRED' || code === 'TOKEN_INVALID') void renewAndRetry();
      else if (code === 'TOO_MANY_CONNECTIONS' || !socket.active) scheduleRetry();
    });
    socket.on('session:closed', ({ reason }) => {
      if (reason === 'TOKEN_EXPIRED') {
        void renewAndRetry();
        return;
      }
      session.clear();
      reloadNuxtApp({ path: '/login', persistState: false });
    });
    watch(
      () => session.accessToken,
      (token) => {
        if (token && !socket.connected) {
          rt.status.value = 'connecting';
          socket.connect();
        }
        if (!token && socket.connected) socket.disconnect();
      },
      { immediate: true },
    );
  }

  /** Subscribes to a server event; returns the unsubscribe function. */
  function on<E extends ServerEvent>(event: E, handler: ServerToClientEvents[E]): () => void {
    if (!rt) return () => undefined;
    rt.socket.on(event, handler as never);
    return () => rt.socket.off(event, handler as never);
  }

  /** Runs after every (re)connect and `resync` hint: refetch what may have been missed. */
  function onResync(handler: () => void): () => void {
    rt?.resyncHandlers.add(handler);
    return () => rt?.resyncHandlers.delete(handler);
  }

  /** Emits a client event and resolves with its ack; rejects when offline or on timeout. */
  async function emitAck<E extends ClientEvent>(event: E, payload: Parameters<ClientToServerEvents[E]>[0]): Promise<Ack<AckData<E>>> {
    if (!rt?.socket.connected) throw new Error('offline');
    const timed = rt.socket.timeout(ACK_TIMEOUT_MS) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<AckData<E>>> };
    return timed.emitWithAck(event, payload);
  }

  return { status, start, on, onResync, emitAck };
}
