/** Field limits shared by the API validation and the web forms. */
export const LIMITS = {
  usernameMin: 3,
  usernameMax: 32,
  displayNameMax: 64,
  emailMax: 254,
  passwordMin: 10,
  passwordMax: 256,
  bioMax: 500,
  pageSizeMax: 100,
  searchQueryMax: 64,
} as const;

/** Usernames: letters, digits, underscore and dot; no leading or trailing dot. */
export const USERNAME_PATTERN = /^(?!\.)[\p{L}\p{N}_.]+(?<!\.)$/u;

export const ACCENT_COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;

/** The offered accent colours: each carries white text at 4.5:1 or more (WCAG AA). The first is the default. */
export const ACCENT_COLORS = ['#2563eb', '#7c3aed', '#db2777', '#dc2626', '#b45309', '#047857', '#0f766e', '#475569'] as const;
export const DEFAULT_ACCENT_COLOR = ACCENT_COLORS[0];

export const WALLPAPERS = ['none', 'dots', 'waves', 'paper', 'night'] as const;
export type Wallpaper = (typeof WALLPAPERS)[number];
