import type { Message, Peer } from 'crossws';

/**
 * What the API is told about a browser's real-time connection, the same for polling and
 * websocket: its Origin, and the host and scheme the site was reached by (set here, never
 * taken from the browser), against which the API checks that Origin.
 */
export function socketHeaders(from: { get(name: string): string | null }, peer: string | undefined, encrypted: boolean): Record<string, string> {
  const out: Record<string, string> = {
    'x-forwarded-for': [from.get('x-forwarded-for'), peer].filter((v): v is string => Boolean(v)).join(', '),
    'x-forwarded-host': from.get('host') ?? '',
    'x-forwarded-proto': encrypted || from.get('x-forwarded-proto') === 'https' ? 'https' : 'http',
  };
  const origin = from.get('origin');
  if (origin) out.origin = origin;
  const ua = from.get('user-agent');
  if (ua) out['user-agent'] = ua;
  return out;
}

/**
 * Socket.IO announces binary attachments in the text packet before them ("451-[…]" is an event
 * with one attachment); the frames that follow are binary. Telling them apart this way keeps
 * each frame's type across the bridge (the websocket layer here hands over bytes only).
 */
function attachmentsAnnounced(packet: string): number {
  const match = /^4[56](\d+)-/.exec(packet);
  return match ? Number(match[1]) : 0;
}

/** Node's WebSocket (undici) also takes request headers, which the DOM typings do not know. */
type HeaderedWebSocket = new (url: string, init: { headers: Record<string, string> }) => WebSocket;
const NodeWebSocket = WebSocket as unknown as HeaderedWebSocket;

const CLOSE_CODE_OK = (code: number | undefined): code is number =>
  code !== undefined && (code === 1000 || (code >= 3000 && code <= 4999));

/** One browser websocket relayed to the API, frame for frame, in both directions. */
export class SocketBridge {
  private readonly upstream: WebSocket;
  private readonly pending: (string | Uint8Array<ArrayBuffer>)[] = [];
  private binaryFramesDue = 0;

  constructor(
    private readonly peer: Peer,
    target: string,
    headers: Record<string, string>,
  ) {
    // The API checks the browser's Origin against the host name the site was opened by.
    this.upstream = new NodeWebSocket(target, { headers });
    this.upstream.binaryType = 'arraybuffer';
    this.upstream.addEventListener('open', () => {
      for (const frame of this.pending.splice(0)) this.upstream.send(frame);
    });
    this.upstream.addEventListener('message', (e: MessageEvent<string | ArrayBuffer>) => {
      this.peer.send(typeof e.data === 'string' ? e.data : new Uint8Array(e.data));
    });
    this.upstream.addEventListener('close', (e: CloseEvent) => {
      this.peer.close(CLOSE_CODE_OK(e.code) ? e.code : 1000, e.reason);
    });
    this.upstream.addEventListener('error', () => {
      this.peer.close(1011, 'upstream error');
    });
  }

  /** A frame from the browser. */
  fromBrowser(message: Message): void {
    let frame: string | Uint8Array<ArrayBuffer>;
    if (this.binaryFramesDue > 0) {
      this.binaryFramesDue -= 1;
      frame = new Uint8Array(message.uint8Array());
    } else {
      frame = message.text();
      this.binaryFramesDue = attachmentsAnnounced(frame);
    }
    if (this.upstream.readyState === WebSocket.OPEN) this.upstream.send(frame);
    else if (this.upstream.readyState === WebSocket.CONNECTING) this.pending.push(frame);
  }

  /** The browser went away. */
  close(): void {
    if (this.upstream.readyState === WebSocket.OPEN || this.upstream.readyState === WebSocket.CONNECTING) this.upstream.close(1000);
  }
}
