import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import type { SendFriendRequest } from '@app/contracts';

export class SendFriendRequestDto implements SendFriendRequest {
  @ApiProperty({ format: 'uuid', description: 'The user to befriend' })
  @IsUUID()
  userId: string;
}
