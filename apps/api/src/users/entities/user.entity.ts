import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Audience, Locale, Theme, Wallpaper } from '@app/contracts';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** As the user typed it (NFC); shown to others. */
  @Column('text')
  username: string;

  /** NFKC + case-folded form; unique. */
  @Column('text', { name: 'username_key' })
  usernameKey: string;

  @Column('text')
  email: string;

  @Column('text', { name: 'email_key' })
  emailKey: string;

  @Column('text', { name: 'display_name' })
  displayName: string;

  @Column('text', { name: 'password_hash' })
  passwordHash: string;

  @Column('text', { default: '' })
  bio: string;

  @Column('text', { name: 'avatar_key', nullable: true })
  avatarKey: string | null;

  @Column('text', { name: 'cover_key', nullable: true })
  coverKey: string | null;

  @Column('text', { name: 'privacy_profile', default: 'everyone' })
  privacyProfile: Audience;

  @Column('text', { name: 'privacy_search', default: 'everyone' })
  privacySearch: Audience;

  @Column('text', { name: 'privacy_message', default: 'everyone' })
  privacyMessage: Audience;

  @Column('text', { name: 'privacy_presence', default: 'everyone' })
  privacyPresence: Audience;

  @Column('text', { name: 'privacy_group_add', default: 'everyone' })
  privacyGroupAdd: Audience;

  @Column('text', { name: 'privacy_forwards', default: 'everyone' })
  privacyForwards: Audience;

  @Column('text', { default: 'system' })
  theme: Theme;

  @Column('text', { name: 'accent_color', default: '#2563eb' })
  accentColor: string;

  @Column('text', { default: 'none' })
  wallpaper: Wallpaper;

  @Column('text', { default: 'en' })
  locale: Locale;

  @Column('timestamptz', { name: 'last_seen_at', nullable: true })
  lastSeenAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
