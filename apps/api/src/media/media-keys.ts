import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { MEDIA_LIMITS, type MediaKeyView } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

/** Keys are minted per half hour and live for one to two windows, so a key (and the URLs built with it) stays stable for a while. */
export const KEY_WINDOW_MS = 30 * 60 * 1000;

export interface KeyHolder {
  userId: string;
  sessionId: string;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const KEY = new RegExp(`^1\\.(${UUID})\\.(${UUID})\\.(\\d{1,15})\\.([A-Za-z0-9_-]{43})$`);

/**
 * Media keys: why browsers can load chat media at all. `<img src>` and `<video src>` cannot send
 * an Authorization header, and MediaView URLs cannot embed a per-viewer signature because one
 * MessageView is stored in the event log and broadcast to the whole room. So a signed-in client
 * asks for a key (`GET /api/media/key`) and appends `?k=` to any media URL.
 *
 * A key is `1.<userId>.<sessionId>.<expiry ms>.<HMAC-SHA256>` under a subkey derived from
 * JWT_SECRET (never the JWT key itself). It is only read by the media file routes; it proves who
 * is asking, never what they may see: every fetch still checks the session is alive and the user's
 * current membership of the media's chat, so leaving a chat or signing out ends access at once.
 */
@Injectable()
export class MediaKeys {
  private readonly secret: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.secret = createHmac('sha256', config.jwt.secret).update('messenger media key v1').digest();
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }

  mint(holder: KeyHolder, now = Date.now()): MediaKeyView {
    const expiresAt = (Math.floor(now / KEY_WINDOW_MS) + 2) * KEY_WINDOW_MS;
    const payload = `1.${holder.userId}.${holder.sessionId}.${expiresAt}`;
    return { key: `${payload}.${this.mac(payload)}`, param: MEDIA_LIMITS.keyParam, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** The holder of a well-formed, authentic, unexpired key; null for anything else. */
  verify(key: string, now = Date.now()): KeyHolder | null {
    const match = KEY.exec(key);
    if (!match) return null;
    const [, userId, sessionId, expiry, mac] = match;
    const expected = Buffer.from(this.mac(`1.${userId}.${sessionId}.${expiry}`));
    if (!timingSafeEqual(expected, Buffer.from(mac))) return null;
    return Number(expiry) > now ? { userId, sessionId } : null;
  }
}
