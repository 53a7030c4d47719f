import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsObject, IsUrl, Matches, MaxLength, ValidateNested } from 'class-validator';
import type { PushSubscriptionRequest, UpdatePushSettingsRequest } from '@app/contracts';

export class PushKeysDto {
  @ApiProperty({ description: 'The browser\'s P-256 public key, URL-safe base64 (65 bytes)' })
  @Matches(/^B[A-Za-z0-9_-]{86}$/, { message: 'p256dh must be an uncompressed P-256 public key, URL-safe base64' })
  p256dh: string;

  @ApiProperty({ description: 'The 16-byte auth secret, URL-safe base64' })
  @Matches(/^[A-Za-z0-9_-]{22}(==)?$/, { message: 'auth must be 16 bytes, URL-safe base64' })
  auth: string;
}

export class PushSubscriptionDto implements PushSubscriptionRequest {
  @ApiProperty({ description: 'The push service URL the browser gave (https)' })
  @IsUrl({ protocols: ['https'], require_protocol: true, require_tld: false }, { message: 'endpoint must be an https URL' })
  @MaxLength(2048)
  endpoint: string;

  @ApiProperty({ type: PushKeysDto })
  @IsObject() @ValidateNested() @Type(() => PushKeysDto)
  keys: PushKeysDto;
}

export class UpdatePushSettingsDto implements UpdatePushSettingsRequest {
  @ApiProperty({ description: 'Show the message text in notifications' })
  @IsBoolean()
  preview: boolean;
}
