/**
 * Markdown-like marks in message text, as Telegram types them: **bold**, __italic__,
 * ~~strikethrough~~, ||spoiler||, `inline code` and ```code blocks```. The text is split into runs
 * of plain text, each with the marks around it; nothing is ever turned into HTML. Code keeps its
 * content as typed (no marks, links or mentions inside). A mark needs a closing twin and content
 * that starts and ends right next to them ("2 ** 3" stays text).
 */
export type Mark = 'bold' | 'italic' | 'strike' | 'spoiler' | 'code' | 'pre';

export interface MarkedRun {
  text: string;
  marks: Mark[];
}

const PAIRS: readonly [string, Mark][] = [
  ['**', 'bold'],
  ['__', 'italic'],
  ['~~', 'strike'],
  ['||', 'spoiler'],
];

/** The earliest pair in `text` from `from` on with a closing twin and non-blank content between. */
function nextPair(text: string, from: number): { start: number; end: number; open: string; mark: Mark } | null {
  let best: { start: number; end: number; open: string; mark: Mark } | null = null;
  for (const [open, mark] of PAIRS) {
    let start = text.indexOf(open, from);
    while (start !== -1 && (!best || start < best.start)) {
      const end = text.indexOf(open, start + open.length);
      if (end === -1) break;
      // Like Markdown's flanking rule: the content starts and ends next to its marks.
      const content = text.slice(start + open.length, end);
      if (/^\S/u.test(content) && /\S$/u.test(content)) {
        best = { start, end, open, mark };
        break;
      }
      start = text.indexOf(open, start + 1);
    }
  }
  return best;
}

function inline(text: string, marks: Mark[], out: MarkedRun[]): void {
  let at = 0;
  for (let pair = nextPair(text, 0); pair; pair = nextPair(text, at)) {
    if (pair.start > at) out.push({ text: text.slice(at, pair.start), marks });
    inline(text.slice(pair.start + pair.open.length, pair.end), [...marks, pair.mark], out);
    at = pair.end + pair.open.length;
  }
  if (at < text.length) out.push({ text: text.slice(at), marks });
}

/** `code` spans (single backticks) within a stretch outside code blocks. */
function withInlineCode(text: string, out: MarkedRun[]): void {
  const CODE = /`([^`\n]+)`/g;
  let at = 0;
  for (const m of text.matchAll(CODE)) {
    const start = m.index ?? 0;
    if (start > at) inline(text.slice(at, start), [], out);
    out.push({ text: m[1] ?? '', marks: ['code'] });
    at = start + m[0].length;
  }
  if (at < text.length) inline(text.slice(at), [], out);
}

/** Splits message text into marked runs (adjacent runs may share marks). */
export function parseMarks(text: string): MarkedRun[] {
  const out: MarkedRun[] = [];
  const BLOCK = /```(?:[a-z0-9+#-]*\n)?([\s\S]*?)```/gi;
  let at = 0;
  for (const m of text.matchAll(BLOCK)) {
    const body = m[1] ?? '';
    if (!body.trim()) continue;
    const start = m.index ?? 0;
    if (start > at) withInlineCode(text.slice(at, start), out);
    out.push({ text: body.replace(/\n$/, ''), marks: ['pre'] });
    at = start + m[0].length;
  }
  if (at < text.length) withInlineCode(text.slice(at), out);
  return out;
}

/** The text as a preview shows it: marks gone, spoilers hidden. */
export function unmarkedText(text: string): string {
  return parseMarks(text)
    .map((r) => (r.marks.includes('spoiler') ? '▒'.repeat(Math.min(r.text.length, 12)) : r.text))
    .join('');
}

export interface MarkEdit {
  text: string;
  start: number;
  end: number;
}

const SHORTCUTS: Record<string, string> = { b: '**', i: '__', 'shift+x': '~~', 'shift+m': '`', 'shift+p': '||' };

/**
 * The composer's formatting shortcut for a key (Ctrl/⌘+B bold, +I italic, +Shift+X strikethrough,
 * +Shift+M code, +Shift+P spoiler): the selection wrapped in the mark, or unwrapped when it
 * already is; null for other keys or an empty selection.
 */
export function applyShortcut(text: string, start: number, end: number, key: string, shift: boolean): MarkEdit | null {
  const mark = SHORTCUTS[`${shift ? 'shift+' : ''}${key.toLowerCase()}`];
  if (!mark || start === end) return null;
  const before = text.slice(0, start);
  const picked = text.slice(start, end);
  const after = text.slice(end);
  if (before.endsWith(mark) && after.startsWith(mark)) {
    return { text: before.slice(0, -mark.length) + picked + after.slice(mark.length), start: start - mark.length, end: end - mark.length };
  }
  return { text: `${before}${mark}${picked}${mark}${after}`, start: start + mark.length, end: end + mark.length };
}
