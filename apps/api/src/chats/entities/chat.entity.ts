import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ChatKind } from '@app/contracts';

@Entity('chats')
export class ChatEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  kind: ChatKind;

  @Column('text', { nullable: true })
  title: string | null;

  /** "<lower id>:<higher id>" for dialogs: one dialog per pair, enforced by a unique index. */
  @Column('text', { name: 'direct_key', nullable: true })
  directKey: string | null;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy: string | null;

  @Column('bigint', { name: 'last_seq' })
  lastSeq: string;

  @Column('uuid', { name: 'last_message_id', nullable: true })
  lastMessageId: string | null;

  @Column('timestamptz', { name: 'last_message_at' })
  lastMessageAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
