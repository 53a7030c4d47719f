import { LIMITS, USERNAME_PATTERN } from '@app/contracts';

/** Zero-width and invisible formatting characters that make look-alike names. */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/u;

/** Scripts told apart in usernames; letters of any script not listed here count as one more. */
const SCRIPTS: [string, RegExp][] = [
  ['latin', /\p{Script=Latin}/u],
  ['cyrillic', /\p{Script=Cyrillic}/u],
  ['greek', /\p{Script=Greek}/u],
  ['armenian', /\p{Script=Armenian}/u],
  ['georgian', /\p{Script=Georgian}/u],
  ['arabic', /\p{Script=Arabic}/u],
  ['hebrew', /\p{Script=Hebrew}/u],
  ['cjk', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]/u],
];

/**
 * Letters of one script only, or Latin with Chinese, Japanese or Korean (TR39's "highly
 * restrictive" level): "pаypal" with a Cyrillic "а" is refused, "анна" and "taro_太郎" are not.
 */
function mixesScripts(name: string): boolean {
  const seen = new Set<string>();
  for (const ch of name) {
    if (/\p{L}/u.test(ch)) seen.add(SCRIPTS.find(([, re]) => re.test(ch))?.[0] ?? 'other');
  }
  if (seen.size <= 1) return false;
  return !(seen.size === 2 && seen.has('latin') && seen.has('cjk'));
}

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
  if (mixesScripts(name.normalize('NFKC'))) return 'mixed_scripts';
  return null;
}

export const USERNAME_MESSAGES: Record<string, string> = {
  invisible_characters: 'Username must not contain invisible characters',
  too_short: `Username must be at least ${LIMITS.usernameMin} characters`,
  too_long: `Username must be at most ${LIMITS.usernameMax} characters`,
  invalid_characters: 'Username may contain letters, digits, "_" and "." (not at the ends)',
  mixed_scripts: 'Username must not mix alphabets (such as Latin and Cyrillic letters), which makes look-alike names',
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
