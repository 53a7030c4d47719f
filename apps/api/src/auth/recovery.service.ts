import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ForgotPasswordRequest, ResetPasswordRequest } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DomainError } from '../common/errors/domain-error.js';
import { RateLimitService, type RateRule } from '../common/rate-limit/rate-limit.service.js';
import { MailService } from '../mail/mail.service.js';
import { UsersService } from '../users/users.service.js';
import { emailKey, usernameKey } from '../users/username.js';
import { PasswordResetsRepository } from './password-resets.repository.js';
import { PasswordsService } from './passwords.service.js';
import { SessionsService, type ClientInfo } from './sessions.service.js';
import { randomToken, sha256 } from './tokens.service.js';

const invalidLink = (): DomainError =>
  new DomainError('VALIDATION_FAILED', 'Invalid input', [
    { field: 'token', code: 'invalid', message: 'This recovery link is invalid, used or expired' },
  ]);

/** Password recovery: a single-use, expiring, hashed token mailed as a link. */
@Injectable()
export class RecoveryService {
  private readonly logger = new Logger(RecoveryService.name);
  private readonly ipRule: RateRule;
  private readonly accountRule: RateRule;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly resets: PasswordResetsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly passwords: PasswordsService,
    private readonly sessions: SessionsService,
    private readonly mail: MailService,
    private readonly limits: RateLimitService,
  ) {
    const points = config.rate.recoveryPerHour;
    this.ipRule = { name: 'recovery-ip', points, durationSeconds: 3600 };
    this.accountRule = { name: 'recovery-account', points, durationSeconds: 3600 };
  }

  /**
   * Always answers the same way. The mail goes out in the background so the answer's
   * timing does not tell whether the account exists either.
   */
  async forgot(req: ForgotPasswordRequest, client: ClientInfo): Promise<void> {
    await this.limits.consume(this.ipRule, client.ip ?? 'unknown');
    const key = req.login.includes('@') ? emailKey(req.login) : usernameKey(req.login);
    await this.limits.consume(this.accountRule, key);
    void this.issue(req.login).catch((e: unknown) => this.logger.error({ err: e }, 'recovery mail failed'));
  }

  private async issue(login: string): Promise<void> {
    const user = await this.users.findByLogin(login);
    if (!user) return;
    const token = randomToken();
    const expiresAt = new Date(Date.now() + this.config.jwt.resetTtlSeconds * 1000);
    await this.resets.insert(user.id, sha256(token), expiresAt);
    const link = `${this.config.publicUrl}/reset-password?token=${token}`;
    const minutes = Math.round(this.config.jwt.resetTtlSeconds / 60);
    await this.mail.send({
      to: user.email,
      subject: 'Reset your password',
      text: `Hello ${user.displayName},\n\nOpen this link within ${minutes} minutes to choose a new password:\n${link}\n\nIf you did not ask for it, ignore this mail.`,
      link,
    });
  }

  /** Redeems a token exactly once (the UPDATE decides the race), sets the password, ends every session. */
  async reset(req: ResetPasswordRequest): Promise<void> {
    const closed = await this.db.transaction(async (m) => {
      const userId = await this.resets.redeem(m, sha256(req.token));
      if (!userId) throw invalidLink();
      const user = await this.users.requireById(userId);
      this.passwords.check(req.password, user.username, user.email);
      const hash = await this.passwords.hash(req.password);
      await this.users.setPasswordHash(user.id, hash, m);
      await this.resets.useAll(m, user.id);
      return { userId: user.id, ids: await this.sessions.revokeAll(user.id, null, 'PASSWORD_CHANGED', m) };
    });
    if (closed.ids.length) this.sessions.emitClosed(closed.userId, closed.ids, 'PASSWORD_CHANGED');
  }
}
