import type { ImageView, MeView, PresenceView, Relationship, UserView } from '@app/contracts';
import type { UserEntity } from './entities/user.entity.js';

export function imageView(kind: 'avatars' | 'covers', key: string | null): ImageView | null {
  if (!key) return null;
  return { small: `/api/media/${kind}/${key}-small.webp`, large: `/api/media/${kind}/${key}-large.webp` };
}

export function toMeView(u: UserEntity): MeView {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    displayName: u.displayName,
    bio: u.bio,
    avatar: imageView('avatars', u.avatarKey),
    cover: imageView('covers', u.coverKey),
    privacy: {
      profile: u.privacyProfile,
      search: u.privacySearch,
      message: u.privacyMessage,
      presence: u.privacyPresence,
      groupAdd: u.privacyGroupAdd,
      forwards: u.privacyForwards,
    },
    appearance: { theme: u.theme, accentColor: u.accentColor, wallpaper: u.wallpaper, locale: u.locale },
    createdAt: u.createdAt.toISOString(),
  };
}

export interface Visibility {
  relationship: Relationship;
  details: boolean;
  presence: PresenceView | null;
  canMessage: boolean;
  canAddToGroup: boolean;
  requestId: string | null;
  /** The user blocked the viewer: only their name is shown (no avatar). */
  nameOnly?: boolean;
}

/** Online now, or when last seen (null if never). */
export function toPresenceView(online: boolean, lastSeenAt: Date | null): PresenceView {
  return online ? { online: true, lastSeenAt: null } : { online: false, lastSeenAt: lastSeenAt?.toISOString() ?? null };
}

/** Another user as a viewer may see them; what is hidden is null, never omitted silently. */
export function toUserView(u: UserEntity, v: Visibility): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    avatar: v.nameOnly ? null : imageView('avatars', u.avatarKey),
    bio: v.details ? u.bio : null,
    cover: v.details ? imageView('covers', u.coverKey) : null,
    presence: v.presence,
    relationship: v.relationship,
    canMessage: v.canMessage,
    canAddToGroup: v.canAddToGroup,
    requestId: v.requestId,
  };
}
