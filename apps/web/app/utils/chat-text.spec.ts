import { describe, expect, it } from '@jest/globals';
import { insertMention, isEmojiOnly, mentionQueryAt, previewMarked, previewText, safeHref, tokenizeMessage, usernameKey } from './chat-text';

describe('tokenizeMessage', () => {
  it('keeps markup as plain text', () => {
    expect(tokenizeMessage('<b>hi</b> <script>x</script>')).toEqual([{ kind: 'text', text: '<b>hi</b> <script>x</script>' }]);
  });

  it('links http(s) and www. URLs, without trailing punctuation', () => {
    expect(tokenizeMessage('see https://example.com/a?b=1, and www.example.org.')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: ', and ' },
      { kind: 'link', text: 'www.example.org', href: 'https://www.example.org/' },
      { kind: 'text', text: '.' },
    ]);
    expect(tokenizeMessage('(https://en.wikipedia.org/wiki/A_(b))')[1]).toEqual({
      kind: 'link', text: 'https://en.wikipedia.org/wiki/A_(b)', href: 'https://en.wikipedia.org/wiki/A_(b)',
    });
  });

  it('never links other schemes', () => {
    expect(tokenizeMessage('javascript:alert(1) data:text/html,x').every((s) => s.kind === 'text')).toBe(true);
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('https://')).toBeNull();
  });

  it('marks mentions of members only', () => {
    const members = new Set(['anna']);
    const isMember = (n: string) => members.has(usernameKey(n));
    expect(tokenizeMessage('hi @Anna and @bob, mail a@anna.com', isMember)).toEqual([
      { kind: 'text', text: 'hi ' },
      { kind: 'mention', text: '@Anna', username: 'Anna' },
      { kind: 'text', text: ' and @bob, mail a@anna.com' },
    ]);
  });
});

describe('mention autocomplete', () => {
  it('finds the @query before the caret and inserts the username', () => {
    expect(mentionQueryAt('hello @an', 9)).toEqual({ start: 6, query: 'an' });
    expect(mentionQueryAt('mail a@an', 9)).toBeNull();
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(insertMention('hello @an!', 6, 9, 'anna')).toEqual({ text: 'hello @anna !', caret: 12 });
  });
});

describe('previews and emoji', () => {
  it('makes one-line previews', () => {
    expect(previewText('a\n\nb   c')).toBe('a b c');
    expect(previewText('x'.repeat(10), [], 5)).toBe('xxxx…');
    expect(previewText('ask the answer', [{ type: 'spoiler', offset: 8, length: 6 }])).toBe('ask the ▒▒▒▒▒▒');
    expect(previewMarked('**Hi** ||there||')).toBe('Hi ▒▒▒▒▒');
    expect(previewText(null)).toBe('');
  });

  it('tells emoji-only messages', () => {
    expect(isEmojiOnly('👍')).toBe(true);
    expect(isEmojiOnly('👨‍👩‍👧 ❤️')).toBe(true);
    expect(isEmojiOnly('ok 👍')).toBe(false);
    expect(isEmojiOnly('123')).toBe(false);
    expect(isEmojiOnly('😀😀😀😀')).toBe(false);
  });
});
