export const AUDIENCES = ['everyone', 'friends', 'nobody'] as const;
/** Who may see or do something: used by every privacy setting. */
export type Audience = (typeof AUDIENCES)[number];

export const THEMES = ['light', 'dark', 'system'] as const;
export type Theme = (typeof THEMES)[number];

export const LOCALES = ['en', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];

/** The relationship between the viewer and another user, as the viewer sees it. */
export const RELATIONSHIPS = ['self', 'none', 'friends', 'request_sent', 'request_received', 'blocked'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export const SESSION_CLOSED_REASONS = [
  'TOKEN_EXPIRED',
  'LOGGED_OUT',
  'SESSION_REVOKED',
  'PASSWORD_CHANGED',
  'ACCOUNT_DISABLED',
] as const;
export type SessionClosedReason = (typeof SESSION_CLOSED_REASONS)[number];

/** Why the server tells a socket to move: it is stopping (a deploy or restart); reconnect now, elsewhere. */
export const SERVER_SHUTDOWN_REASONS = ['SERVER_RESTART'] as const;
export type ServerShutdownReason = (typeof SERVER_SHUTDOWN_REASONS)[number];

export const HANDSHAKE_ERROR_CODES = [
  'TOKEN_MISSING',
  'TOKEN_INVALID',
  'TOKEN_EXPIRED',
  'ORIGIN_NOT_ALLOWED',
  'TOO_MANY_CONNECTIONS',
  /** The server could not set the connection up (e.g. its database did not answer): retry later. */
  'UNAVAILABLE',
] as const;
export type HandshakeErrorCode = (typeof HANDSHAKE_ERROR_CODES)[number];
