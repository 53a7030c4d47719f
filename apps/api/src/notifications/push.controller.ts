import { Body, Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PushSettingsView, VapidPublicKeyView } from '@app/contracts';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { PushSubscriptionDto, UpdatePushSettingsDto } from './dto/push.dto.js';
import { PushService } from './push.service.js';

@ApiTags('push')
@ApiBearerAuth()
@Controller('push')
export class PushController {
  constructor(private readonly push: PushService) {}

  @Get('vapid-public-key')
  @ApiOperation({ summary: 'The application server key to subscribe with (PushManager.subscribe)' })
  publicKey(): VapidPublicKeyView {
    return this.push.publicKey();
  }

  @Post('subscriptions')
  @HttpCode(204)
  @ApiOperation({ summary: 'This device (the current session) gets push notifications; replaces its earlier subscription' })
  @ApiNoContentResponse()
  subscribe(@CurrentUser() me: AuthUser, @Body() dto: PushSubscriptionDto): Promise<void> {
    return this.push.subscribe(me.userId, me.sessionId, { endpoint: dto.endpoint, keys: { p256dh: dto.keys.p256dh, auth: dto.keys.auth } });
  }

  @Delete('subscriptions')
  @HttpCode(204)
  @ApiOperation({ summary: 'This device (the current session) stops getting push notifications' })
  @ApiNoContentResponse()
  unsubscribe(@CurrentUser() me: AuthUser): Promise<void> {
    return this.push.unsubscribe(me.sessionId);
  }

  @Get('settings')
  settings(@CurrentUser() me: AuthUser): Promise<PushSettingsView> {
    return this.push.settings(me.userId);
  }

  @Put('settings')
  @ApiOperation({ summary: 'Whether notifications show the message text (off by default)' })
  updateSettings(@CurrentUser() me: AuthUser, @Body() dto: UpdatePushSettingsDto): Promise<PushSettingsView> {
    return this.push.updateSettings(me.userId, { preview: dto.preview });
  }
}
