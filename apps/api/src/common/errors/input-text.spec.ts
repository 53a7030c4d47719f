import { inputProblem, MAX_INPUT_DEPTH } from './input-text.js';

describe('the text rule for every input', () => {
  it('accepts well-formed text, emoji and pairs of surrogates included', () => {
    expect(inputProblem({ text: 'héllo 👋🏽 \n\t', list: ['a', { b: 'ç' }], n: 1, ok: true, none: null })).toBeNull();
  });

  it.each([
    [{ bio: 'a\u0000b' }, 'bio', 'nul_character'],
    [{ text: '\ud800' }, 'text', 'unpaired_surrogate'],
    [{ text: 'x\udc00' }, 'text', 'unpaired_surrogate'],
    [{ items: [{ text: 'ok' }, { text: '\u0000' }] }, 'items.1.text', 'nul_character'],
    [{ ['k\u0000']: 1 }, 'body', 'nul_character'],
    ['\ud83d', 'body', 'unpaired_surrogate'],
  ])('%j is refused on %s (%s)', (value, field, code) => {
    expect(inputProblem(value)).toMatchObject({ field, code });
  });

  it('refuses nesting past the limit by its top-level field, at any depth, without overflowing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(inputProblem({ text: 'hi', extra: deep })).toMatchObject({ field: 'extra', code: 'too_deep' });
    let fine: unknown = 'x';
    for (let i = 0; i < MAX_INPUT_DEPTH - 1; i += 1) fine = { a: fine };
    expect(inputProblem(fine)).toBeNull();
  });
});
