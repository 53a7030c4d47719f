import { Inject, Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { PushSettingsView, PushSubscriptionRequest, VapidPublicKeyView } from '@app/contracts';
import { AUTH_EVENTS, type SessionsClosedEvent } from '../auth/auth.events.js';
import { APP_CONFIG, vapidKeys, type AppConfig, type VapidKeys } from '../config/app-config.js';
import { DomainError } from '../common/errors/domain-error.js';
import { isPublicEndpoint } from './push-endpoint.js';
import { PushRepository } from './push.repository.js';

/** Devices subscribing to push notifications, and the preview setting. A subscription lives as long as its session. */
@Injectable()
export class PushService {
  private readonly logger = new Logger(PushService.name);
  readonly keys: VapidKeys;
  private readonly allowPrivate: boolean;

  constructor(
    private readonly repo: PushRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.keys = vapidKeys(config);
    this.allowPrivate = config.push.allowPrivateEndpoints;
  }

  publicKey(): VapidPublicKeyView {
    return { publicKey: this.keys.publicKey };
  }

  async subscribe(userId: string, sessionId: string, sub: PushSubscriptionRequest): Promise<void> {
    // The server will POST to this URL: never into this machine or a private network unless allowed.
    if (!this.allowPrivate && !isPublicEndpoint(sub.endpoint)) {
      throw DomainError.validation('endpoint', 'not_public', 'endpoint must be a push service on a public network');
    }
    await this.repo.subscribe(userId, sessionId, sub);
  }

  async unsubscribe(sessionId: string): Promise<void> {
    await this.repo.deleteForSessions([sessionId]);
  }

  async settings(userId: string): Promise<PushSettingsView> {
    return { preview: await this.repo.preview(userId) };
  }

  async updateSettings(userId: string, change: PushSettingsView): Promise<PushSettingsView> {
    await this.repo.setPreview(userId, change.preview);
    return this.settings(userId);
  }

  /** Signed out, ended from another device, password changed: the devices of those sessions hear nothing more. */
  @OnEvent(AUTH_EVENTS.sessionsClosed)
  async sessionsClosed(e: SessionsClosedEvent): Promise<void> {
    try {
      const n = await this.repo.deleteForSessions(e.sessionIds);
      if (n > 0) this.logger.debug(`${n} push subscriptions of closed sessions deleted`);
    } catch (err) {
      this.logger.warn({ err }, 'could not delete the push subscriptions of closed sessions');
    }
  }
}
