/** Web Push: the server's VAPID key, a device's subscription, the preview setting and what a push carries. */

export interface VapidPublicKeyView {
  /** The application server key browsers subscribe with (URL-safe base64, uncompressed P-256). */
  publicKey: string;
}

/** `PushSubscription.toJSON()` of the browser, minus `expirationTime`. */
export interface PushSubscriptionRequest {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface PushSettingsView {
  /** Whether pushes carry the message text ("show message preview"); off by default. */
  preview: boolean;
}

export type UpdatePushSettingsRequest = PushSettingsView;

export type PushKind = 'message' | 'mention' | 'friend-request';

/** The JSON a push delivers to the service worker (encrypted end to end, RFC 8291). */
export interface PushPayload {
  kind: PushKind;
  /** Groups a chat's notifications (`chat:<id>`), or `friend-requests`. */
  tag: string;
  /** The chat, for messages and mentions. */
  chatId: string | null;
  /** The chat's title as the recipient sees it (a dialog: the other person's name). */
  chatTitle: string | null;
  /** The sender as the recipient may see them. */
  sender: { id: string; name: string };
  /** The message text, only when the recipient turned the preview on; else null ("New message"). */
  preview: string | null;
  /** Where a click leads, relative to the site. */
  url: string;
  /** The message's seq in the chat (messages and mentions). */
  seq: number | null;
}

export const CHAT_MUTE_FOREVER = 'forever';

/** Mute a chat: until an ISO time, `forever`, or null to unmute; `mentionsOnly` (groups) still notifies mentions. */
export interface MuteChatRequest {
  until: string | null;
  mentionsOnly?: boolean;
}
