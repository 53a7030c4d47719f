import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthView, ChangePasswordRequest, LoginRequest, RegisterRequest } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DomainError } from '../common/errors/domain-error.js';
import { RateLimitService, type RateRule } from '../common/rate-limit/rate-limit.service.js';
import { UsersService } from '../users/users.service.js';
import { PasswordsService } from './passwords.service.js';
import { SessionsService, type ClientInfo, type IssuedRefresh } from './sessions.service.js';
import { JwtStrategy } from './jwt.strategy.js';
import { TokensService, type AccessClaims } from './tokens.service.js';
import { emailKey, usernameKey } from '../users/username.js';

export interface SignedIn {
  view: AuthView;
  refresh: IssuedRefresh;
}

const badCredentials = (): DomainError =>
  new DomainError('UNAUTHENTICATED', 'Wrong username, e-mail or password');

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private readonly rules: { loginIp: RateRule; loginAccount: RateRule; register: RateRule };

  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordsService,
    private readonly sessions: SessionsService,
    private readonly tokens: TokensService,
    private readonly jwt: JwtStrategy,
    private readonly limits: RateLimitService,
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    this.rules = {
      loginIp: { name: 'login-ip', points: config.rate.loginPerMinute, durationSeconds: 60 },
      loginAccount: { name: 'login-account', points: config.rate.loginPerMinute, durationSeconds: 15 * 60 },
      register: { name: 'register-ip', points: config.rate.registerPerHour, durationSeconds: 3600 },
    };
  }

  async register(req: RegisterRequest, client: ClientInfo): Promise<SignedIn> {
    await this.limits.consume(this.rules.register, client.ip ?? 'unknown');
    const username = this.users.checkUsername(req.username);
    const displayName = this.users.checkDisplayName(req.displayName);
    this.passwords.check(req.password, username, req.email);
    const passwordHash = await this.passwords.hash(req.password);
    const user = await this.users.create({ username, email: req.email, displayName, passwordHash, locale: req.locale });
    return this.signIn(user.id, client);
  }

  async login(req: LoginRequest, client: ClientInfo): Promise<SignedIn> {
    await this.limits.consume(this.rules.loginIp, client.ip ?? 'unknown');
    const accountKey = req.login.includes('@') ? emailKey(req.login) : usernameKey(req.login);
    await this.limits.consume(this.rules.loginAccount, accountKey);
    const user = await this.users.findByLogin(req.login);
    const ok = user ? await this.passwords.verify(user.passwordHash, req.password) : await this.passwords.verifyNothing(req.password);
    if (!user || !ok) {
      this.logger.warn({ ip: client.ip }, 'failed sign-in');
      throw badCredentials();
    }
    await this.limits.reset(this.rules.loginAccount, accountKey);
    return this.signIn(user.id, client);
  }

  async refresh(refreshToken: string | undefined, client: ClientInfo): Promise<SignedIn> {
    if (!refreshToken || refreshToken.length > 256) throw new DomainError('UNAUTHENTICATED', 'Session expired, sign in again');
    const refresh = await this.sessions.rotate(refreshToken, client);
    return { refresh, view: await this.view(refresh) };
  }

  async logout(refreshToken: string | undefined, bearer: AccessClaims | null): Promise<void> {
    if (bearer) {
      await this.sessions.revoke(bearer.userId, bearer.sessionId, 'LOGGED_OUT').catch(() => undefined);
      return;
    }
    if (!refreshToken) return;
    const owner = await this.sessions.ownerOf(refreshToken);
    if (owner) await this.sessions.revoke(owner.userId, owner.sessionId, 'LOGGED_OUT').catch(() => undefined);
  }

  /** Needs the current password; every other session of the user ends. */
  async changePassword(auth: { userId: string; sessionId: string }, req: ChangePasswordRequest): Promise<void> {
    const user = await this.users.requireById(auth.userId);
    if (!(await this.passwords.verify(user.passwordHash, req.currentPassword))) {
      throw new DomainError('VALIDATION_FAILED', 'Invalid input', [
        { field: 'currentPassword', code: 'wrong', message: 'Current password is wrong' },
      ]);
    }
    this.passwords.check(req.newPassword, user.username, user.email, 'newPassword');
    const hash = await this.passwords.hash(req.newPassword);
    const closed = await this.db.transaction(async (m) => {
      await this.users.setPasswordHash(user.id, hash, m);
      return this.sessions.revokeAll(user.id, auth.sessionId, 'PASSWORD_CHANGED', m);
    });
    if (closed.length) this.sessions.emitClosed(user.id, closed, 'PASSWORD_CHANGED');
  }

  /** Checks an access token and that its session is still alive, as the HTTP guard does (sockets, media). */
  authenticate(token: string): Promise<AccessClaims> {
    return this.jwt.verifyToken(token);
  }

  /** Whether a session is still alive, for credentials that name one without an access token (media keys). */
  sessionActive(userId: string, sessionId: string): Promise<boolean> {
    return this.sessions.isActive(sessionId, userId);
  }

  private async signIn(userId: string, client: ClientInfo): Promise<SignedIn> {
    const refresh = await this.sessions.create(userId, client);
    return { refresh, view: await this.view(refresh) };
  }

  private async view(refresh: IssuedRefresh): Promise<AuthView> {
    const access = await this.tokens.issueAccess(refresh.userId, refresh.sessionId);
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      sessionId: refresh.sessionId,
      user: await this.users.getMe(refresh.userId),
    };
  }
}
