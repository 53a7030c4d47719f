/** What MediaRecorder is asked for, best first: Opus in WebM or Ogg; MP4 (AAC) where only that exists (Safari). */
const TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/mp4'];

export type RecorderState = 'idle' | 'starting' | 'recording';
export type RecorderError = 'denied' | 'unsupported' | null;

const extensionOf = (type: string): string => (type.includes('ogg') ? 'ogg' : type.includes('mp4') ? 'm4a' : 'webm');

/**
 * The microphone through MediaRecorder: `start()` asks for it and records, `elapsedMs` ticks, and
 * `stop(true)` resolves with the recording as a File (`stop(false)` throws it away). Releasing the
 * microphone happens on every stop and when the component goes away.
 */
export function useVoiceRecorder() {
  const state = ref<RecorderState>('idle');
  const error = ref<RecorderError>(null);
  const elapsedMs = ref(0);
  let recorder: MediaRecorder | null = null;
  let stream: MediaStream | null = null;
  let chunks: Blob[] = [];
  let startedAt = 0;
  let ticker: ReturnType<typeof setInterval> | null = null;
  /** A stop asked for while the microphone was still being opened. */
  let cancelled = false;

  function release(): void {
    if (ticker) clearInterval(ticker);
    ticker = null;
    for (const track of stream?.getTracks() ?? []) track.stop();
    stream = null;
    recorder = null;
    state.value = 'idle';
  }

  async function start(): Promise<boolean> {
    if (state.value !== 'idle') return false;
    error.value = null;
    if (typeof MediaRecorder === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
      error.value = 'unsupported';
      return false;
    }
    state.value = 'starting';
    cancelled = false;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      error.value = 'denied';
      release();
      return false;
    }
    if (cancelled) {
      release();
      return false;
    }
    const mimeType = TYPES.find((t) => MediaRecorder.isTypeSupported(t));
    recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
    chunks = [];
    recorder.ondataavailable = (e) => {
      if (e.data.size > 0) chunks.push(e.data);
    };
    recorder.start(250);
    startedAt = performance.now();
    elapsedMs.value = 0;
    ticker = setInterval(() => (elapsedMs.value = performance.now() - startedAt), 100);
    state.value = 'recording';
    return true;
  }

  /** Ends the recording; with `keep`, resolves with it as a file (null when nothing was recorded). */
  function stop(keep: boolean): Promise<File | null> {
    const r = recorder;
    if (!r || r.state === 'inactive') {
      cancelled = true;
      if (state.value !== 'starting') release();
      return Promise.resolve(null);
    }
    return new Promise((resolve) => {
      r.onstop = () => {
        const type = r.mimeType || 'audio/webm';
        const blob = new Blob(chunks, { type });
        chunks = [];
        release();
        resolve(keep && blob.size > 0 ? new File([blob], `voice.${extensionOf(type)}`, { type }) : null);
      };
      r.stop();
    });
  }

  onBeforeUnmount(() => {
    void stop(false);
  });

  return { state, error, elapsedMs, start, stop };
}
