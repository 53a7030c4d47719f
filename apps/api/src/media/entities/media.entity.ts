import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { MediaKind } from '@app/contracts';

/** One stored rendition of an upload. */
export interface MediaFile {
  key: string;
  mime: string;
  size: number;
  width: number;
  height: number;
}

/** An uploaded photo or video; see the migration for the attach rules. */
@Entity('media')
export class MediaEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'owner_id' })
  ownerId: string;

  @Column('uuid', { name: 'chat_id', nullable: true })
  chatId: string | null;

  @Column('uuid', { name: 'message_id', nullable: true })
  messageId: string | null;

  @Column('bigint', { nullable: true })
  seq: string | null;

  @Column('smallint', { nullable: true })
  position: number | null;

  @Column('text')
  kind: MediaKind;

  @Column('text')
  mime: string;

  @Column('bigint')
  size: string;

  @Column('int')
  width: number;

  @Column('int')
  height: number;

  @Column('int', { name: 'duration_ms', nullable: true })
  durationMs: number | null;

  @Column('text')
  placeholder: string;

  @Column('text')
  name: string;

  @Column('jsonb')
  files: Record<string, MediaFile>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'attached_at', nullable: true })
  attachedAt: Date | null;
}
