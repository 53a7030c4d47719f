import { Controller, Delete, Get, HttpCode, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, type AuthUser } from '../../common/auth/current-user.decorator.js';
import { Public } from '../../common/auth/public.decorator.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { LinkPreviewsService } from './link-previews.service.js';

@ApiTags('messages')
@Controller()
export class LinkPreviewsController {
  constructor(private readonly previews: LinkPreviewsService) {}

  /** The sender removes their message's link card (also before it arrived); members see 'message:preview' with preview null. */
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'Removed (or there was none)' })
  @ApiNotFoundResponse({ description: 'No such message in a chat of yours' })
  @Delete('chats/:chatId/messages/:messageId/preview')
  @HttpCode(204)
  remove(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Param('messageId') messageId: string): Promise<void> {
    return this.previews.remove(me.userId, chatId, messageId);
  }

  /** A card's image: a small WebP the server made from the page's image; public content, named by an unguessable id. */
  @Public()
  @ApiOkResponse({ description: 'image/webp' })
  @ApiNotFoundResponse()
  @Get('link-previews/:id/image')
  async image(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const image = await this.previews.image(id);
    if (!image) throw DomainError.notFound();
    res.set({ 'content-type': 'image/webp', 'cache-control': 'public, max-age=86400, immutable', 'x-content-type-options': 'nosniff' }).send(image);
  }
}
