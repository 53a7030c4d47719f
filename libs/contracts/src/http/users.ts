import type { Audience, Relationship, Theme, Locale } from '../enums.js';
import type { Wallpaper } from '../limits.js';

export interface PrivacySettings {
  /** Who sees bio, cover and other profile details. */
  profile: Audience;
  /** Who can find me in user search. */
  search: Audience;
  /** Who can start a dialog with me. */
  message: Audience;
  /** Who sees whether I am online and when I was last seen. */
  presence: Audience;
  /** Who may add me to groups. */
  groupAdd: Audience;
  /** Who sees my name on my messages forwarded to them (in a group: only if every member may). */
  forwards: Audience;
}

export interface AppearanceSettings {
  theme: Theme;
  accentColor: string;
  wallpaper: Wallpaper;
  locale: Locale;
}

export interface ImageView {
  /** Square or banner sizes, smallest first. URLs are relative to the site. */
  small: string;
  large: string;
}

export interface MeView {
  id: string;
  username: string;
  email: string;
  displayName: string;
  bio: string;
  avatar: ImageView | null;
  cover: ImageView | null;
  privacy: PrivacySettings;
  appearance: AppearanceSettings;
  createdAt: string;
}

export interface PresenceView {
  online: boolean;
  /** ISO time; null when online or never seen. */
  lastSeenAt: string | null;
}

/** Another user as the viewer may see them: hidden fields are null. */
export interface UserView {
  id: string;
  username: string;
  displayName: string;
  avatar: ImageView | null;
  /** Null when the owner hides profile details from the viewer. */
  bio: string | null;
  cover: ImageView | null;
  /** Null when the owner hides presence from the viewer. */
  presence: PresenceView | null;
  relationship: Relationship;
  /** Whether the viewer may open a dialog with this user. */
  canMessage: boolean;
  /** The viewer may add this user to a group (their "who may add me to groups" allows it). */
  canAddToGroup: boolean;
  /** The pending friend request between the viewer and this user, either way (to accept, decline or cancel); else null. */
  requestId: string | null;
}

export interface UpdateProfileRequest {
  displayName?: string;
  username?: string;
  bio?: string;
}

export type UpdatePrivacyRequest = Partial<PrivacySettings>;
export type UpdateAppearanceRequest = Partial<AppearanceSettings>;
