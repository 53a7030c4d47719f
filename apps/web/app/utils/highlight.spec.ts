import { describe, expect, it } from '@jest/globals';
import { highlightSegments, searchTerms, snippet } from './highlight';

describe('search highlighting', () => {
  it('marks the prefix of each word that starts with a term, case- and script-insensitively', () => {
    expect(highlightSegments('Hello world, hello WORLDS', 'hel wor')).toEqual([
      { text: 'Hel', hit: true }, { text: 'lo ', hit: false }, { text: 'wor', hit: true }, { text: 'ld, ', hit: false },
      { text: 'hel', hit: true }, { text: 'lo ', hit: false }, { text: 'WOR', hit: true }, { text: 'LDS', hit: false },
    ]);
    expect(highlightSegments('Привет, мир', 'прив')).toEqual([{ text: 'Прив', hit: true }, { text: 'ет, мир', hit: false }]);
  });

  it('does not mark matches inside words, and keeps markup as plain text', () => {
    expect(highlightSegments('<b>shell</b> hello', 'hel')).toEqual([{ text: '<b>shell</b> ', hit: false }, { text: 'hel', hit: true }, { text: 'lo', hit: false }]);
    expect(highlightSegments('nothing here', '!!!')).toEqual([{ text: 'nothing here', hit: false }]);
  });

  it('prefers the longest term and reads the query like the API', () => {
    expect(searchTerms('Ab abc, ABC!')).toEqual(['abc', 'ab']);
    expect(highlightSegments('abcd', 'ab abc')).toEqual([{ text: 'abc', hit: true }, { text: 'd', hit: false }]);
  });

  it('cuts long texts around the first match', () => {
    const text = `${'a '.repeat(100)}needle ${'b '.repeat(100)}`;
    const cut = snippet(text, 'needle', 60);
    expect(cut.startsWith('…')).toBe(true);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).toContain('needle');
    expect(snippet('short one', 'x')).toBe('short one');
  });
});
