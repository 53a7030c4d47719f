import { LIMITS, USERNAME_PATTERN } from '@app/contracts';

/** Zero-width and invisible formatting characters that make look-alike names. */
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/u;

/** The comparison key: NFKC folds widths and compatibility forms, then case is folded. */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLocaleUpperCase('und').toLocaleLowerCase('und');
}

export function emailKey(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase();
}

/** Returns a problem code for a username, or null when it is acceptable. */
export function usernameProblem(raw: string): string | null {
  if (INVISIBLE.test(raw)) return 'invisible_characters';
  const name = raw.normalize('NFC');
  const length = [...name].length;
  if (length < LIMITS.usernameMin) return 'too_short';
  if (length > LIMITS.usernameMax) return 'too_long';
  if (!USERNAME_PATTERN.test(name.normalize('NFKC'))) return 'invalid_characters';
  return null;
}

export const USERNAME_MESSAGES: Record<string, string> = {
  invisible_characters: 'Username must not contain invisible characters',
  too_short: `Username must be at least ${LIMITS.usernameMin} characters`,
  too_long: `Username must be at most ${LIMITS.usernameMax} characters`,
  invalid_characters: 'Username may contain letters, digits, "_" and "." (not at the ends)',
  taken: 'This username is taken',
};

/** Display names: trimmed, NFC, no invisible characters, no control characters. */
export function cleanDisplayName(raw: string): string | null {
  const name = raw.normalize('NFC').trim();
  if (!name || INVISIBLE.test(name) || /\p{Cc}/u.test(name)) return null;
  return name;
}
