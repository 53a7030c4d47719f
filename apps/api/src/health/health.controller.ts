import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { HealthView } from '@app/contracts';
import { Public } from '../common/auth/public.decorator.js';
import { HealthService } from './health.service.js';
import { UNAVAILABLE_RETRY_AFTER_MS } from '../common/errors/dependency-errors.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Public()
  @Get()
  @ApiOkResponse({ description: 'Liveness and dependency checks' })
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthView> {
    const view = await this.health.check();
    if (view.status !== 'ok') res.status(HttpStatus.SERVICE_UNAVAILABLE).setHeader('Retry-After', String(UNAVAILABLE_RETRY_AFTER_MS / 1000));
    return view;
  }
}
