import { describe, expect, it } from '@jest/globals';
import { entityRuns, parseMarks, toMarks, withSpoilersHidden } from './formatting.js';
import { cleanWithEntities, entityProblem } from './formatting-rules.js';

const runs = (marked: string) => {
  const { text, entities } = parseMarks(marked);
  return entityRuns(text, entities).map((r) => [r.text, r.types.join('+')]);
};

describe('parseMarks', () => {
  it('turns bold, italic, strikethrough and spoilers into ranges over the plain text, nested', () => {
    expect(parseMarks('a **bold** b __it__ ~~gone~~ ||secret||')).toEqual({
      text: 'a bold b it gone secret',
      entities: [
        { type: 'bold', offset: 2, length: 4 },
        { type: 'italic', offset: 9, length: 2 },
        { type: 'strike', offset: 12, length: 4 },
        { type: 'spoiler', offset: 17, length: 6 },
      ],
    });
    expect(runs('**bold __and italic__**')).toEqual([['bold ', 'bold'], ['and italic', 'bold+italic']]);
  });

  it('keeps code as typed: no marks inside, blocks with their lines', () => {
    expect(runs('run `**not bold**` now')).toEqual([['run ', ''], ['**not bold**', 'code'], [' now', '']]);
    expect(runs('see\n```ts\nconst a = 1;\n**x**\n```\ndone')).toEqual([['see\n', ''], ['const a = 1;\n**x**', 'pre'], ['\ndone', '']]);
  });

  it('takes [text](address) links to http(s) and mailto only', () => {
    expect(parseMarks('see [the **docs**](https://example.org/d) now')).toEqual({
      text: 'see the docs now',
      entities: [{ type: 'link', offset: 4, length: 8, url: 'https://example.org/d' }, { type: 'bold', offset: 8, length: 4 }],
    });
    expect(parseMarks('[mail](mailto:ann@example.org)').entities).toEqual([{ type: 'link', offset: 0, length: 4, url: 'mailto:ann@example.org' }]);
    expect(parseMarks('[x](javascript:alert(1)) [y](data:text/html,hi)')).toEqual({ text: '[x](javascript:alert(1)) [y](data:text/html,hi)', entities: [] });
  });

  it('leaves unmatched or empty marks as text', () => {
    for (const t of ['2 ** 3 and a**', 'snake_case__name', '**   ** and `` x', '<b>not html</b>']) expect(parseMarks(t)).toEqual({ text: t, entities: [] });
  });
});

describe('toMarks', () => {
  it('writes the marks back, so that editing a message keeps its formatting', () => {
    for (const marked of ['a **bold __both__** b', 'run `**x**` ||hidden|| ~~no~~', 'see [the **docs**](https://example.org/d)', '```\nline 1\nline 2```']) {
      const parsed = parseMarks(marked);
      expect(parseMarks(toMarks(parsed.text, parsed.entities))).toEqual(parsed);
    }
  });
});

describe('withSpoilersHidden', () => {
  it('hides what a spoiler covers', () => {
    const { text, entities } = parseMarks('**Hi** ||the answer|| `x`');
    expect(withSpoilersHidden(text, entities)).toBe('Hi ▒▒▒▒▒▒▒▒▒▒ x');
  });
});

describe('entityProblem', () => {
  const text = 'hello 👋 world';
  it('accepts what parseMarks makes', () => {
    const p = parseMarks('**a __b__** `c` [d](https://e.example) ||f||');
    expect(entityProblem(p.text, p.entities)).toBeNull();
  });

  it.each([
    ['Unknown formatting type', [{ type: 'shout', offset: 0, length: 1 }]],
    ['A formatting range lies outside the text', [{ type: 'bold', offset: 10, length: 9 }]],
    ['A formatting range lies outside the text', [{ type: 'bold', offset: 0, length: 0 }]],
    ['A formatting range lies outside the text', [{ type: 'bold', offset: 1.5, length: 1 }]],
    ['A formatting range splits a character', [{ type: 'bold', offset: 7, length: 2 }]],
    ['Links may only open http, https or mailto addresses', [{ type: 'link', offset: 0, length: 5, url: 'javascript:alert(1)' }]],
    ['Links may only open http, https or mailto addresses', [{ type: 'link', offset: 0, length: 5 }]],
    ['Only links have an address', [{ type: 'bold', offset: 0, length: 5, url: 'https://a.example' }]],
    ['Formatting ranges may nest but not cross', [{ type: 'bold', offset: 0, length: 5 }, { type: 'italic', offset: 3, length: 5 }]],
    ['The same formatting twice over one stretch', [{ type: 'bold', offset: 0, length: 5 }, { type: 'bold', offset: 1, length: 2 }]],
    ['Code takes no other formatting', [{ type: 'code', offset: 0, length: 5 }, { type: 'bold', offset: 1, length: 2 }]],
    ['Code takes no other formatting', [{ type: 'bold', offset: 0, length: 5 }, { type: 'pre', offset: 1, length: 2 }]],
    ['At most 100 formatting ranges are allowed', Array.from({ length: 101 }, (_, i) => ({ type: 'bold', offset: i % 5, length: 1 }))],
  ])('refuses: %s', (problem, entities) => {
    expect(entityProblem(text, entities as never)).toBe(problem);
  });
});

describe('cleanWithEntities', () => {
  it('moves ranges along when the text is trimmed and cleaned, dropping emptied ones', () => {
    const clean = (s: string) => s.replace(/\r\n?/g, '\n');
    expect(cleanWithEntities('  **x\r\ny** z  ', [{ type: 'bold', offset: 2, length: 6 }, { type: 'italic', offset: 0, length: 1 }], clean)).toEqual({
      text: '**x\ny** z',
      entities: [{ type: 'bold', offset: 0, length: 5 }],
    });
  });
});
