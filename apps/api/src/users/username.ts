import { LIMITS, USERNAME_PATTERN } from '@app/contracts';

/** Zero-width and invisible formatting characters that make look-alike names. */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/u;

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

const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/gu;

/**
 * Display names: NFC, trimmed, bidi overrides dropped (the web isolates names anyway), no control
 * characters; emoji joiners and variation selectors stay, but a name of nothing visible is refused.
 */
export function cleanDisplayName(raw: string): string | null {
  const name = raw.normalize('NFC').replace(BIDI_CONTROLS, '').trim();
  if (!name || /\p{Cc}/u.test(name) || /^[\s\p{Default_Ignorable_Code_Point}]*$/u.test(name)) return null;
  return name;
}
