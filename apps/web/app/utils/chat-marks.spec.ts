import { describe, expect, it } from '@jest/globals';
import { applyShortcut, parseMarks, unmarkedText } from './chat-marks';

const runs = (text: string) => parseMarks(text).map((r) => [r.text, r.marks.join('+')]);

describe('parseMarks', () => {
  it('finds bold, italic, strikethrough and spoilers, nested', () => {
    expect(runs('a **bold** b __it__ ~~gone~~ ||secret||')).toEqual([
      ['a ', ''], ['bold', 'bold'], [' b ', ''], ['it', 'italic'], [' ', ''], ['gone', 'strike'], [' ', ''], ['secret', 'spoiler'],
    ]);
    expect(runs('**bold __and italic__**')).toEqual([['bold ', 'bold'], ['and italic', 'bold+italic']]);
  });

  it('keeps code as typed: no marks inside, blocks with their lines', () => {
    expect(runs('run `**not bold**` now')).toEqual([['run ', ''], ['**not bold**', 'code'], [' now', '']]);
    expect(runs('see\n```ts\nconst a = 1;\n**x**\n```\ndone')).toEqual([['see\n', ''], ['const a = 1;\n**x**', 'pre'], ['\ndone', '']]);
  });

  it('leaves unmatched or empty marks as text', () => {
    expect(runs('2 ** 3 and a**')).toEqual([['2 ** 3 and a**', '']]);
    expect(runs('snake_case__name')).toEqual([['snake_case__name', '']]);
    expect(runs('**   ** and `` x')).toEqual([['**   ** and `` x', '']]);
    expect(runs('<b>not html</b>')).toEqual([['<b>not html</b>', '']]);
  });

  it('previews without marks and with spoilers hidden', () => {
    expect(unmarkedText('**Hi** ||the answer|| `x`')).toBe('Hi ▒▒▒▒▒▒▒▒▒▒ x');
  });
});

describe('applyShortcut', () => {
  it('wraps the selection, and unwraps it again', () => {
    const on = applyShortcut('say hi now', 4, 6, 'b', false)!;
    expect(on).toEqual({ text: 'say **hi** now', start: 6, end: 8 });
    expect(applyShortcut(on.text, on.start, on.end, 'B', false)).toEqual({ text: 'say hi now', start: 4, end: 6 });
    expect(applyShortcut('x y', 0, 1, 'p', true)?.text).toBe('||x|| y');
    expect(applyShortcut('x y', 0, 0, 'b', false)).toBeNull();
    expect(applyShortcut('x y', 0, 1, 'q', false)).toBeNull();
  });
});
