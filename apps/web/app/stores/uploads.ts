import { MEDIA_TYPES, type MediaLimitsView, type MediaView } from '@app/contracts';
import { createApiClient } from '~/composables/useApi';
import { parseApiError } from '~/utils/api-error';
import { useSessionStore } from '~/stores/session';

export type UploadStatus = 'queued' | 'uploading' | 'processing' | 'done' | 'failed';

export interface UploadItem {
  id: string;
  chatId: string;
  name: string;
  size: number;
  /** A photo or video the server decodes, a voice message (sent on its own once uploaded), or any other file, kept as a document. */
  kind: 'image' | 'video' | 'voice' | 'file';
  /** An object URL of the local file for the preview ('' for files). */
  preview: string;
  status: UploadStatus;
  /** 0…1 of the bytes sent. */
  progress: number;
  /** A message to show (from the API body when it sent one). */
  error: string | null;
  /** Whether sending it again may help (a network or server failure, not a refusal). */
  canRetry: boolean;
  media: MediaView | null;
}

/** Until GET /api/media/limits answers (the server's defaults). */
const FALLBACK_LIMITS: MediaLimitsView = {
  maxFileBytes: 100 * 1024 * 1024,
  maxFilesPerMessage: 10,
  maxPixels: 100_000_000,
  maxVideoSeconds: 3600,
  maxVoiceSeconds: 1800,
  types: [...MEDIA_TYPES],
};
/** Files sent at the same time. */
const PARALLEL = 2;

/** Photos and videos of the accepted types go as media; anything else goes as a file. */
const kindOf = (file: File, types: readonly string[]): UploadItem['kind'] =>
  !types.includes(file.type) ? 'file' : file.type.startsWith('video/') ? 'video' : 'image';

/**
 * Photos, videos and files picked in the composer, per chat, uploaded one request each (POST /api/media
 * through the /api proxy) with progress, abortable. `mediaIdsFor(chatId)` lists the finished ones
 * in the order picked, for SendMessageRequest.mediaIds; `clear(chatId)` after sending.
 */
export const useUploadsStore = defineStore('uploads', () => {
  const nuxtApp = useNuxtApp();
  const session = useSessionStore();
  const i18n = nuxtApp.$i18n;
  const t = (key: string, params: Record<string, unknown> = {}): string => i18n.t(key, params);

  const items = ref<UploadItem[]>([]);
  const limits = ref<MediaLimitsView>(FALLBACK_LIMITS);
  let limitsLoaded = false;
  /** Not state: the request in flight per item, and the File to send. */
  const requests = new Map<string, XMLHttpRequest>();
  const files = new Map<string, File>();

  function itemsFor(chatId: string): UploadItem[] {
    return items.value.filter((i) => i.chatId === chatId);
  }
  /** The finished uploads of a chat that go with the next message, in the order picked (voice messages go alone). */
  function mediaFor(chatId: string): MediaView[] {
    return itemsFor(chatId).flatMap((i) => (i.kind !== 'voice' && i.status === 'done' && i.media ? [i.media] : []));
  }
  /** Voice messages of a chat whose upload finished: each is sent as a message of its own, then removed. */
  function voicesDone(chatId: string): UploadItem[] {
    return itemsFor(chatId).filter((i) => i.kind === 'voice' && i.status === 'done' && i.media);
  }
  function mediaIdsFor(chatId: string): string[] {
    return mediaFor(chatId).map((m) => m.id);
  }
  /** Something that goes with the next message is still being sent (the send button should wait). */
  function busyFor(chatId: string): boolean {
    return itemsFor(chatId).some((i) => i.kind !== 'voice' && (i.status === 'queued' || i.status === 'uploading' || i.status === 'processing'));
  }
  function hasErrorsFor(chatId: string): boolean {
    return itemsFor(chatId).some((i) => i.status === 'failed');
  }

  async function loadLimits(): Promise<void> {
    if (limitsLoaded) return;
    try {
      limits.value = await createApiClient(nuxtApp).get<MediaLimitsView>('/media/limits');
      limitsLoaded = true;
    } catch {
      // Keep the defaults; the server checks again anyway.
    }
  }

  function megabytes(bytes: number): string {
    return `${new Intl.NumberFormat(i18n.locale.value, { maximumFractionDigits: 0 }).format(bytes / (1024 * 1024))} MB`;
  }

  /**
   * Adds files to a chat's tray and starts sending them. Files over the size limit are shown as
   * failed at once; past the per-message limit,
   * the rest are dropped and a message says so (the returned string).
   */
  async function add(chatId: string, list: FileList | File[], as?: 'voice'): Promise<string | null> {
    await loadLimits();
    const room = as === 'voice' ? list.length : limits.value.maxFilesPerMessage - itemsFor(chatId).filter((i) => i.kind !== 'voice').length;
    const picked = [...list];
    const accepted = picked.slice(0, Math.max(0, room));
    for (const file of accepted) {
      const id = `up-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      const kind = as ?? kindOf(file, limits.value.types);
      const item: UploadItem = {
        id, chatId, name: file.name, size: file.size, kind,
        preview: (kind === 'image' || kind === 'video') && typeof URL !== 'undefined' ? URL.createObjectURL(file) : '',
        status: 'queued', progress: 0, error: null, canRetry: false, media: null,
      };
      if (file.size > limits.value.maxFileBytes) {
        item.status = 'failed';
        item.error = t('media.upload.errors.tooLarge', { name: file.name, max: megabytes(limits.value.maxFileBytes) });
      } else {
        files.set(id, file);
      }
      items.value.push(item);
    }
    pump();
    return picked.length > accepted.length ? t('media.upload.errors.tooMany', { max: limits.value.maxFilesPerMessage }) : null;
  }

  function find(id: string): UploadItem | undefined {
    return items.value.find((i) => i.id === id);
  }

  /** Starts queued uploads while fewer than PARALLEL are running. */
  function pump(): void {
    for (const item of items.value) {
      if (requests.size >= PARALLEL) return;
      if (item.status === 'queued') void start(item.id);
    }
  }

  async function start(id: string, retried = false): Promise<void> {
    const item = find(id);
    const file = files.get(id);
    if (!item || !file) return;
    item.status = 'uploading';
    item.progress = 0;
    item.error = null;
    const xhr = new XMLHttpRequest();
    requests.set(id, xhr);
    const token = await session.freshToken();
    if (requests.get(id) !== xhr) return; // removed meanwhile
    const result = await new Promise<{ status: number; body: unknown }>((resolve) => {
      xhr.open('POST', item.kind === 'file' || item.kind === 'voice' ? `/api/media?as=${item.kind}` : '/api/media');
      xhr.responseType = 'json';
      if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
      xhr.upload.onprogress = (e) => {
        const it = find(id);
        if (it && e.lengthComputable) {
          it.progress = e.total ? e.loaded / e.total : 0;
          if (e.loaded >= e.total) it.status = 'processing';
        }
      };
      xhr.upload.onload = () => {
        const it = find(id);
        if (it && it.status === 'uploading') it.status = 'processing';
      };
      xhr.onload = () => resolve({ status: xhr.status, body: xhr.response });
      xhr.onerror = () => resolve({ status: 0, body: null });
      xhr.onabort = () => resolve({ status: -1, body: null });
      const form = new FormData();
      form.append('file', file, file.name);
      xhr.send(form);
    });
    if (requests.get(id) === xhr) requests.delete(id);
    const it = find(id);
    if (result.status === -1 || !it) {
      pump();
      return;
    }
    if (result.status === 401 && !retried && (await session.refresh())) {
      void start(id, true);
      return;
    }
    if (result.status === 201 || result.status === 200) {
      it.status = 'done';
      it.progress = 1;
      it.media = result.body as MediaView;
      files.delete(id);
    } else {
      it.status = 'failed';
      it.canRetry = result.status === 0 || result.status >= 500 || result.status === 429;
      it.error = result.status === 0
        ? t('media.upload.errors.network')
        : (parseApiError(result.body)?.message ?? t('media.upload.errors.failed'));
    }
    pump();
  }

  /** Sends a failed file again. */
  function retry(id: string): void {
    const item = find(id);
    if (!item || item.status !== 'failed' || !item.canRetry || !files.has(id)) return;
    item.status = 'queued';
    item.error = null;
    pump();
  }

  /** Drops a file from the tray, aborting its upload. */
  function remove(id: string): void {
    const xhr = requests.get(id);
    requests.delete(id);
    xhr?.abort();
    files.delete(id);
    const item = find(id);
    if (item?.preview) URL.revokeObjectURL(item.preview);
    items.value = items.value.filter((i) => i.id !== id);
    pump();
  }

  /** Empties a chat's tray (after the message is sent, or when the draft is discarded). */
  function clear(chatId: string): void {
    for (const item of itemsFor(chatId)) remove(item.id);
  }

  return { items, limits, itemsFor, mediaFor, mediaIdsFor, voicesDone, busyFor, hasErrorsFor, loadLimits, add, retry, remove, clear };
});
