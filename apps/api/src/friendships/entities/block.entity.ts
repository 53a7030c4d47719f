import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `blockerId` blocked `blockedId`: the blocked user can no longer see or reach the blocker. */
@Entity('blocks')
export class BlockEntity {
  @PrimaryColumn('uuid', { name: 'blocker_id' })
  blockerId: string;

  @PrimaryColumn('uuid', { name: 'blocked_id' })
  blockedId: string;

  @Column({ type: 'timestamptz', name: 'created_at', precision: 3 })
  createdAt: Date;
}
