import type { MeView } from './users.js';
import type { Locale } from '../enums.js';

export interface RegisterRequest {
  username: string;
  email: string;
  displayName: string;
  password: string;
  locale?: Locale;
}

export interface LoginRequest {
  /** A username or an e-mail address. */
  login: string;
  password: string;
}

/** Answer to register, login and refresh; the refresh token travels only in an httpOnly cookie. */
export interface AuthView {
  accessToken: string;
  /** ISO time the access token stops working. */
  accessTokenExpiresAt: string;
  sessionId: string;
  user: MeView;
}

export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

export interface ForgotPasswordRequest {
  /** A username or an e-mail address; the answer is the same whether or not it exists. */
  login: string;
}

export interface ResetPasswordRequest {
  token: string;
  password: string;
}

export interface SessionView {
  id: string;
  device: string;
  ip: string | null;
  createdAt: string;
  lastActiveAt: string;
  current: boolean;
  /** Whether this device gets push notifications. */
  notifications: boolean;
}

/** Name of the httpOnly cookie holding the refresh token. */
export const REFRESH_COOKIE = 'msg_refresh';
/** Path the refresh cookie is scoped to. */
export const REFRESH_COOKIE_PATH = '/api/auth';
/**
 * Name of the httpOnly cookie holding a copy of the current access token, scoped to the whole
 * site and expiring with the token: the web server renders signed-in pages with it and rotates
 * the refresh token only once it has expired. The API never accepts it as a credential.
 */
export const ACCESS_COOKIE = 'msg_access';
