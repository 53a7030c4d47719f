import type { PushSubscriptionRequest, VapidPublicKeyView } from '@app/contracts';

export type PushState = 'unsupported' | 'denied' | 'off' | 'on';

/** Whether this browser can get pushes with the site closed (a service worker, the Push API, notifications). */
const supported = (): boolean =>
  import.meta.client && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

/**
 * Push notifications of this device: asks for permission only when the user turns them on,
 * subscribes with the server's VAPID key and registers the subscription for this session.
 */
export function usePush() {
  const api = useApi();
  const state = ref<PushState>('off');

  async function registration(): Promise<ServiceWorkerRegistration> {
    return (await navigator.serviceWorker.getRegistration()) ?? (await navigator.serviceWorker.register('/sw.js'));
  }

  async function refresh(): Promise<PushState> {
    if (!supported()) return (state.value = 'unsupported');
    if (Notification.permission === 'denied') return (state.value = 'denied');
    const sub = await (await registration()).pushManager.getSubscription();
    return (state.value = sub && Notification.permission === 'granted' ? 'on' : 'off');
  }

  async function enable(): Promise<PushState> {
    if (!supported()) return (state.value = 'unsupported');
    const permission = await Notification.requestPermission();
    if (permission !== 'granted') return (state.value = permission === 'denied' ? 'denied' : 'off');
    const reg = await registration();
    await navigator.serviceWorker.ready;
    const { publicKey } = await api.get<VapidPublicKeyView>('/push/vapid-public-key');
    const existing = await reg.pushManager.getSubscription();
    const sub = existing ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: publicKey }));
    const json = sub.toJSON();
    const body: PushSubscriptionRequest = { endpoint: sub.endpoint, keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' } };
    await api.post('/push/subscriptions', body);
    return (state.value = 'on');
  }

  async function disable(): Promise<PushState> {
    if (supported()) await (await (await registration()).pushManager.getSubscription())?.unsubscribe();
    await api.del('/push/subscriptions');
    return refresh();
  }

  return { state, refresh, enable, disable };
}
