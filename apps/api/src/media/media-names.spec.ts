import { safeFileName } from './media-names.js';

describe('safeFileName', () => {
  it.each([
    ['bidi override (RLO)', 'photo\u202egpj.exe', 'photogpj.exe'],
    ['bidi embeddings, isolates and marks', '\u202aa\u202bb\u202cc\u202dd\u2066e\u2067f\u2068g\u2069h\u200ei\u200fj\u061ck.png', 'abcdefghijk.png'],
    ['C0 and C1 controls', 'a\u0000b\u0007c\u001bd\u0085e\u009f.png', 'abcde.png'],
    ['line and paragraph separators', 'a\u2028b\u2029c.png', 'abc.png'],
    ['a byte-order mark and a word joiner', '\ufeffa\u2060b.png', 'ab.png'],
    ['a lone surrogate', 'a\ud800b.png', 'ab.png'],
    ['paths and quotes', '../../etc/"év;il\\name.png', 'name.png'],
  ])('strips %s', (_what, raw, expected) => {
    expect(safeFileName(raw)).toBe(expected);
  });

  it('keeps emoji sequences and scripts that need joiners', () => {
    expect(safeFileName('👩\u200d💻 notes.png')).toBe('👩\u200d💻 notes.png');
    expect(safeFileName('می\u200cخواهم.png')).toBe('می\u200cخواهم.png');
  });

  it('falls back when nothing is left, and never cuts a character in half', () => {
    expect(safeFileName('\u202e\u202e')).toBe('file');
    expect(safeFileName(undefined)).toBe('file');
    const long = safeFileName(`${'😀'.repeat(120)}.png`);
    expect(Array.from(long)).toHaveLength(100);
    expect(long).toBe('😀'.repeat(100));
  });
});
