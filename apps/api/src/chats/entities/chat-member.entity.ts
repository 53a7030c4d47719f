import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MemberRole } from '@app/contracts';

@Entity('chat_members')
export class ChatMemberEntity {
  @PrimaryColumn('uuid', { name: 'chat_id' })
  chatId: string;

  @PrimaryColumn('uuid', { name: 'user_id' })
  userId: string;

  @Column('text')
  role: MemberRole;

  @Column('timestamptz', { name: 'joined_at' })
  joinedAt: Date;

  @Column('bigint', { name: 'joined_seq' })
  joinedSeq: string;

  @Column('bigint', { name: 'last_read_seq' })
  lastReadSeq: string;

  @Column('text', { name: 'custom_name', nullable: true })
  customName: string | null;

  @Column('boolean')
  muted: boolean;
}
