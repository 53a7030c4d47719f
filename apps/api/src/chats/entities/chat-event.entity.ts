import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { ChatEventType } from '@app/contracts';

/** The per-chat log every change is written to, in the same transaction as the change. */
@Entity('chat_events')
export class ChatEventEntity {
  @PrimaryColumn('uuid', { name: 'chat_id' })
  chatId: string;

  @PrimaryColumn('bigint')
  seq: string;

  @Column('text')
  type: ChatEventType;

  @Column('jsonb')
  data: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
