import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('messages')
export class MessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'chat_id' })
  chatId: string;

  @Column('bigint')
  seq: string;

  @Column('uuid', { name: 'sender_id' })
  senderId: string;

  @Column('text', { name: 'client_id' })
  clientId: string;

  @Column('text', { nullable: true })
  text: string | null;

  @Column('uuid', { name: 'reply_to_id', nullable: true })
  replyToId: string | null;

  @Column('uuid', { array: true })
  mentions: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'edited_at', nullable: true })
  editedAt: Date | null;

  @Column('timestamptz', { name: 'deleted_at', nullable: true })
  deletedAt: Date | null;
}
