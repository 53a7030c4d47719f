import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ChatView, MemberView, Page } from '@app/contracts';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { ChatsService } from './chats.service.js';
import { MembersService } from './members.service.js';
import { GroupProfileService } from './group-profile.service.js';
import { AddMembersDto, CreateChatDto, MuteChatDto, RenameChatDto, SetChatDescriptionDto, UpdateMemberDto, UpdateMyChatDto } from './dto/chats.dto.js';
import { PageQueryDto } from '../common/pagination/page-query.dto.js';

@ApiTags('chats')
@ApiBearerAuth()
@Controller('chats')
export class ChatsController {
  constructor(
    private readonly chats: ChatsService,
    private readonly members: MembersService,
    private readonly profile: GroupProfileService,
  ) {}

  @Get()
  list(@CurrentUser() me: AuthUser, @Query() q: PageQueryDto): Promise<Page<ChatView>> {
    return this.chats.list(me.userId, q.cursor, q.limit);
  }

  /** One user id: opens the dialog (200 when it existed, 201 when created). Several: a group. */
  @Post()
  async create(@CurrentUser() me: AuthUser, @Body() dto: CreateChatDto, @Res({ passthrough: true }) res: Response): Promise<ChatView> {
    const opened = await this.chats.create(me.userId, dto);
    res.status(opened.created ? 201 : 200);
    return opened.chat;
  }

  @Get(':chatId')
  get(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string): Promise<ChatView> {
    return this.chats.get(me.userId, chatId);
  }

  /** The group's description (owner and admins). */
  @Put(':chatId/description')
  describe(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Body() dto: SetChatDescriptionDto): Promise<ChatView> {
    return this.profile.setDescription(me.userId, chatId, dto.description);
  }

  @Patch(':chatId')
  rename(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Body() dto: RenameChatDto): Promise<ChatView> {
    return this.chats.rename(me.userId, chatId, dto.title);
  }

  @Patch(':chatId/me')
  updateMine(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Body() dto: UpdateMyChatDto): Promise<ChatView> {
    return this.chats.updateMine(me.userId, chatId, dto);
  }

  /** Mutes the chat for me: no push notifications (mentions still, with mentionsOnly). */
  @Put(':chatId/mute')
  mute(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Body() dto: MuteChatDto): Promise<ChatView> {
    return this.chats.mute(me.userId, chatId, dto);
  }

  @Get(':chatId/members')
  listMembers(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string): Promise<MemberView[]> {
    return this.members.list(me.userId, chatId);
  }

  @Post(':chatId/members')
  addMembers(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Body() dto: AddMembersDto): Promise<MemberView[]> {
    return this.members.add(me.userId, chatId, dto.userIds);
  }

  @Patch(':chatId/members/:userId')
  updateMember(
    @CurrentUser() me: AuthUser,
    @Param('chatId') chatId: string,
    @Param('userId') userId: string,
    @Body() dto: UpdateMemberDto,
  ): Promise<MemberView> {
    return this.members.setRole(me.userId, chatId, userId, dto.role);
  }

  @Delete(':chatId/members/:userId')
  @HttpCode(204)
  removeMember(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string, @Param('userId') userId: string): Promise<void> {
    return this.members.remove(me.userId, chatId, userId);
  }

  @Post(':chatId/leave')
  @HttpCode(204)
  leave(@CurrentUser() me: AuthUser, @Param('chatId') chatId: string): Promise<void> {
    return this.members.remove(me.userId, chatId, me.userId);
  }
}
