import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ACCESS_COOKIE, REFRESH_COOKIE, REFRESH_COOKIE_PATH, type AuthView } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Public } from '../common/auth/public.decorator.js';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { AuthService, type SignedIn } from './auth.service.js';
import { RecoveryService } from './recovery.service.js';
import type { AccessClaims } from './tokens.service.js';
import { bearerToken } from './auth.guard.js';
import { RegisterDto } from './dto/register.dto.js';
import { LoginDto } from './dto/login.dto.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';
import { ForgotPasswordDto, ResetPasswordDto } from './dto/recovery.dto.js';
import type { ClientInfo } from './sessions.service.js';

function clientOf(req: Request): ClientInfo {
  return { userAgent: req.headers['user-agent'], ip: req.ip ?? null };
}

function refreshCookie(req: Request): string | undefined {
  const cookies = req.cookies as Record<string, unknown> | undefined;
  const value = cookies?.[REFRESH_COOKIE];
  return typeof value === 'string' ? value : undefined;
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly recovery: RecoveryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private withCookie(res: Response, signed: SignedIn): AuthView {
    const secure = this.config.publicUrl.startsWith('https:');
    res.cookie(REFRESH_COOKIE, signed.refresh.refreshToken, {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: REFRESH_COOKIE_PATH,
      expires: signed.refresh.expiresAt,
    });
    // For server-side rendering only (see ACCESS_COOKIE): the API reads bearer headers, never this.
    res.cookie(ACCESS_COOKIE, signed.view.accessToken, {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/',
      expires: new Date(signed.view.accessTokenExpiresAt),
    });
    res.setHeader('Cache-Control', 'no-store');
    return signed.view;
  }

  @Public()
  @Post('register')
  async register(@Body() dto: RegisterDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthView> {
    return this.withCookie(res, await this.auth.register(dto, clientOf(req)));
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() dto: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthView> {
    return this.withCookie(res, await this.auth.login(dto, clientOf(req)));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiCookieAuth(REFRESH_COOKIE)
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthView> {
    return this.withCookie(res, await this.auth.refresh(refreshCookie(req), clientOf(req)));
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const token = bearerToken(req);
    const claims: AccessClaims | null = token ? await this.auth.authenticate(token).catch(() => null) : null;
    await this.auth.logout(refreshCookie(req), claims);
    res.clearCookie(REFRESH_COOKIE, { path: REFRESH_COOKIE_PATH });
    res.clearCookie(ACCESS_COOKIE, { path: '/' });
  }

  @ApiBearerAuth()
  @Post('password')
  @HttpCode(204)
  changePassword(@CurrentUser() user: AuthUser, @Body() dto: ChangePasswordDto): Promise<void> {
    return this.auth.changePassword(user, dto);
  }

  @Public()
  @Post('password/forgot')
  @HttpCode(202)
  async forgot(@Body() dto: ForgotPasswordDto, @Req() req: Request): Promise<{ status: 'sent' }> {
    await this.recovery.forgot(dto, clientOf(req));
    return { status: 'sent' };
  }

  @Public()
  @Post('password/reset')
  @HttpCode(204)
  reset(@Body() dto: ResetPasswordDto): Promise<void> {
    return this.recovery.reset(dto);
  }
}
