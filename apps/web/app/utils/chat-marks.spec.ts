import { describe, expect, it } from '@jest/globals';
import { parseMarks } from '@app/contracts';
import { applyShortcut, hasMark, linkSelection, toggleMark } from './chat-marks';

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

describe('the selection toolbar', () => {
  it('toggles a mark and tells whether the selection has it', () => {
    const on = toggleMark('a word here', 2, 6, 'spoiler')!;
    expect(on.text).toBe('a ||word|| here');
    expect(hasMark(on.text, on.start, on.end, 'spoiler')).toBe(true);
    expect(hasMark(on.text, on.start, on.end, 'bold')).toBe(false);
    expect(parseMarks(on.text).entities).toEqual([{ type: 'spoiler', offset: 2, length: 4 }]);
  });

  it('links the selection to an http(s) or mailto address, and refuses other schemes', () => {
    const link = linkSelection('read the docs', 9, 13, 'example.org/docs')!;
    expect(link.text).toBe('read the [docs](https://example.org/docs)');
    expect(parseMarks(link.text)).toEqual({ text: 'read the docs', entities: [{ type: 'link', offset: 9, length: 4, url: 'https://example.org/docs' }] });
    expect(linkSelection('mail me', 0, 4, 'mailto:ann@example.org')?.text).toBe('[mail](mailto:ann@example.org) me');
    expect(linkSelection('x', 0, 1, 'javascript:alert(1)')).toBeNull();
    expect(linkSelection('x', 0, 0, 'https://example.org')).toBeNull();
  });
});
