import { plainToInstance } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

/** Every environment variable the API reads; `.env.example` documents each with its default. */
export class EnvironmentVariables {
  @IsOptional() @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;

  @IsOptional() @IsString()
  HOST?: string;

  @IsOptional() @IsInt() @Min(0) @Max(65535)
  API_PORT?: number;

  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PUBLIC_URL?: string;

  @IsOptional() @IsString()
  CORS_ORIGINS?: string;

  @IsOptional() @IsString()
  DATA_DIR?: string;

  @IsOptional() @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional() @IsInt() @Min(1024) @Max(65535)
  EMBEDDED_PG_PORT?: number;

  @IsOptional() @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// URL' })
  REDIS_URL?: string;

  @IsOptional() @Matches(/^[\w.-]{1,64}$/, { message: 'must be letters, digits, "_", "-" or "."' })
  REDIS_KEY_PREFIX?: string;

  @IsOptional() @IsString() @MinLength(32)
  JWT_SECRET?: string;

  @IsOptional() @IsInt() @Min(2) @Max(86_400)
  ACCESS_TOKEN_TTL_SECONDS?: number;

  @IsOptional() @IsInt() @Min(1) @Max(365)
  REFRESH_TOKEN_TTL_DAYS?: number;

  @IsOptional() @IsInt() @Min(0) @Max(120)
  REFRESH_REUSE_GRACE_SECONDS?: number;

  @IsOptional() @IsInt() @Min(60) @Max(86_400)
  PASSWORD_RESET_TTL_SECONDS?: number;

  @IsOptional() @Matches(/^smtps?:\/\/.+/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsOptional() @IsString()
  MAIL_FROM?: string;

  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional() @IsString()
  TRUST_PROXY?: string;

  @IsOptional() @IsInt() @Min(1)
  RATE_LOGIN_PER_MINUTE?: number;

  @IsOptional() @IsInt() @Min(1)
  RATE_REGISTER_PER_HOUR?: number;

  @IsOptional() @IsInt() @Min(1)
  RATE_RECOVERY_PER_HOUR?: number;

  @IsOptional() @IsInt() @Min(1)
  RATE_SEND_PER_MINUTE?: number;

  @IsOptional() @IsInt() @Min(1)
  RATE_FRIEND_REQUESTS_PER_HOUR?: number;

  @IsOptional() @IsInt() @Min(1)
  RATE_UPLOADS_PER_MINUTE?: number;

  @IsOptional() @IsInt() @Min(1)
  SEND_QUEUE_MAX?: number;

  @IsOptional() @IsInt() @Min(1024)
  UPLOAD_IMAGE_MAX_BYTES?: number;

  @IsOptional() @IsInt() @Min(1024)
  MEDIA_MAX_FILE_BYTES?: number;

  @IsOptional() @IsInt() @Min(1) @Max(100)
  MEDIA_MAX_FILES_PER_MESSAGE?: number;

  @IsOptional() @IsInt() @Min(10_000) @Max(1_000_000_000)
  MEDIA_MAX_PIXELS?: number;

  @IsOptional() @IsInt() @Min(1) @Max(86_400)
  MEDIA_MAX_VIDEO_SECONDS?: number;

  @IsOptional() @IsInt() @Min(1) @Max(64)
  MEDIA_WORKERS?: number;

  @IsOptional() @IsString()
  MEDIA_FFMPEG_PATH?: string;

  @IsOptional() @IsString()
  MEDIA_FFPROBE_PATH?: string;

  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  S3_ENDPOINT?: string;

  @IsOptional() @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'must be an S3 bucket name' })
  S3_BUCKET?: string;

  @IsOptional() @Matches(/^[\w-]{1,64}$/, { message: 'must be a region name such as us-east-1' })
  S3_REGION?: string;

  @IsOptional() @IsString()
  S3_ACCESS_KEY_ID?: string;

  @IsOptional() @IsString()
  S3_SECRET_ACCESS_KEY?: string;

  @IsOptional() @IsIn(['true', 'false'])
  S3_FORCE_PATH_STYLE?: string;
}

const SECRET = /secret|password|token|url|access_key/i;

function mask(name: string, value: unknown): string {
  if (value === undefined) return 'unset';
  return SECRET.test(name) ? '***' : JSON.stringify(value);
}

const NUMERIC_KEYS = new Set([
  'API_PORT', 'EMBEDDED_PG_PORT', 'ACCESS_TOKEN_TTL_SECONDS', 'REFRESH_TOKEN_TTL_DAYS',
  'REFRESH_REUSE_GRACE_SECONDS', 'PASSWORD_RESET_TTL_SECONDS', 'RATE_LOGIN_PER_MINUTE',
  'RATE_REGISTER_PER_HOUR', 'RATE_RECOVERY_PER_HOUR', 'RATE_SEND_PER_MINUTE', 'RATE_FRIEND_REQUESTS_PER_HOUR',
  'RATE_UPLOADS_PER_MINUTE', 'SEND_QUEUE_MAX', 'UPLOAD_IMAGE_MAX_BYTES',
  'MEDIA_MAX_FILE_BYTES', 'MEDIA_MAX_FILES_PER_MESSAGE', 'MEDIA_MAX_PIXELS', 'MEDIA_MAX_VIDEO_SECONDS', 'MEDIA_WORKERS',
]);
const STRING_KEYS = new Set([
  'NODE_ENV', 'HOST', 'PUBLIC_URL', 'CORS_ORIGINS', 'DATA_DIR', 'DATABASE_URL', 'REDIS_URL',
  'REDIS_KEY_PREFIX', 'JWT_SECRET', 'SMTP_URL', 'MAIL_FROM', 'LOG_LEVEL', 'TRUST_PROXY',
  'MEDIA_FFMPEG_PATH', 'MEDIA_FFPROBE_PATH', 'S3_ENDPOINT', 'S3_BUCKET', 'S3_REGION', 'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY', 'S3_FORCE_PATH_STYLE',
]);

/** Validates raw variables; throws one error naming every bad variable (secrets masked). */
export function validateEnv(raw: Record<string, string | undefined>): EnvironmentVariables {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || value === '') continue;
    if (!NUMERIC_KEYS.has(key) && !STRING_KEYS.has(key)) continue;
    plain[key] = NUMERIC_KEYS.has(key) && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  const env = plainToInstance(EnvironmentVariables, plain);
  const errors = validateSync(env, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (e) => `  ${e.property}=${mask(e.property, e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
    );
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return env;
}
