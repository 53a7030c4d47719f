import { cleanDisplayName, usernameKey, usernameProblem } from './username.js';

describe('usernames', () => {
  it('fold case, width and compatibility forms to one key', () => {
    expect(usernameKey('Ada_L')).toBe('ada_l');
    expect(usernameKey('ＡＤＡ＿Ｌ')).toBe('ada_l');
    expect(usernameKey('ﬁsh')).toBe('fish');
    expect(usernameKey('STRASSE')).toBe(usernameKey('strasse'));
  });

  it('accept letters of any script, digits, "_" and inner dots', () => {
    expect(usernameProblem('анна.петрова')).toBeNull();
    expect(usernameProblem('user_42')).toBeNull();
    expect(usernameProblem('αλέξης_7')).toBeNull();
    expect(usernameProblem('taro_太郎')).toBeNull();
    expect(usernameProblem('たろう_タロウ_太郎')).toBeNull();
    for (const name of ['محمد_1', 'שלום_לכם', 'ნინო', 'สมชาย', 'պետրոս']) expect([name, usernameProblem(name)]).toEqual([name, null]);
  });

  it.each([
    ['ab', 'too_short'],
    ['a'.repeat(33), 'too_long'],
    ['.abc', 'invalid_characters'],
    ['abc.', 'invalid_characters'],
    ['a b c', 'invalid_characters'],
    ['ab\u200Bc', 'invisible_characters'],
    ['abc\u00AD', 'invisible_characters'],
    ['ab\u202Ecd', 'invisible_characters'],
    ['p\u0430ypal', 'mixed_scripts'],
    ['ivan_иванов', 'mixed_scripts'],
    ['\u03BFmega_o', 'mixed_scripts'],
    ['анна_太郎', 'mixed_scripts'],
  ])('refuse %j (%s)', (name, problem) => {
    expect(usernameProblem(name)).toBe(problem);
  });
});

describe('display names', () => {
  it('keep emoji sequences and drop bidi overrides', () => {
    expect(cleanDisplayName(' Ада ❤️ 👩‍💻 ')).toBe('Ада ❤️ 👩‍💻');
    expect(cleanDisplayName('evil\u202Egnp.exe')).toBe('evilgnp.exe');
  });

  it('refuse names with nothing visible or with control characters', () => {
    expect(cleanDisplayName('\u200B\u200D ')).toBeNull();
    expect(cleanDisplayName('bell\u0007')).toBeNull();
  });
});
