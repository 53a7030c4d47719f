/**
 * Message formatting as Telegram stores it: plain text plus entity ranges. The composer types
 * Markdown-like marks — **bold**, __italic__, ~~strikethrough~~, ||spoiler||, `code`, ```code
 * blocks``` and [text](https://link) — and `parseMarks` turns them into text and entities before
 * sending; the server checks them with `entityProblem`; the page renders `entityRuns` as text nodes
 * only. Offsets and lengths count UTF-16 code units, as JavaScript strings do.
 */
export const ENTITY_TYPES = ['bold', 'italic', 'strike', 'spoiler', 'code', 'pre', 'link'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export interface MessageEntity {
  type: EntityType;
  offset: number;
  length: number;
  /** For `link` only: the address it opens (http, https or mailto). */
  url?: string;
}

export const ENTITY_LIMITS = {
  /** Entities per message. */
  max: 100,
  /** Characters of a link's address. */
  urlMax: 2048,
} as const;

/** A stretch of text with the formatting over it. */
export interface FormattedRun {
  text: string;
  types: EntityType[];
  /** Set inside a `link` entity. */
  url?: string;
}

/** A link's address when it may be opened: http(s) with a host, or mailto with an address; else null. */
export function safeLinkUrl(raw: string): string | null {
  if (raw.length > ENTITY_LIMITS.urlMax) return null;
  try {
    const url = new URL(raw);
    if (url.protocol === 'mailto:') return url.pathname.includes('@') ? url.href : null;
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.hostname ? url.href : null;
  } catch {
    return null;
  }
}

// ---- marks → text and entities --------------------------------------------------------------

/** The marks typed around a stretch, as in Telegram: the composer's toolbar writes the same. */
export const MARKS = { bold: '**', italic: '__', strike: '~~', spoiler: '||', code: '`' } as const satisfies Partial<Record<EntityType, string>>;
/** The paired marks parsed inside text (code is taken first, on its own). */
const PAIRS = (['bold', 'italic', 'strike', 'spoiler'] as const).map((type): [string, EntityType] => [MARKS[type], type]);
const LINK = /\[([^\]\n]+)\]\(((?:https?:\/\/|mailto:)[^\s()]+)\)/giu;
const CODE = /`([^`\n]+)`/g;
const BLOCK = /```(?:[a-z0-9+#-]*\n)?([\s\S]*?)```/gi;

/** The earliest pair in `text` from `from` on with a closing twin and content flanked by non-space. */
function nextPair(text: string, from: number): { start: number; end: number; open: string; type: EntityType } | null {
  let best: { start: number; end: number; open: string; type: EntityType } | null = null;
  for (const [open, type] of PAIRS) {
    let start = text.indexOf(open, from);
    while (start !== -1 && (!best || start < best.start)) {
      const end = text.indexOf(open, start + open.length);
      if (end === -1) break;
      const content = text.slice(start + open.length, end);
      if (/^\S/u.test(content) && /\S$/u.test(content)) {
        best = { start, end, open, type };
        break;
      }
      start = text.indexOf(open, start + 1);
    }
  }
  return best;
}

function pairs(text: string, types: EntityType[], url: string | undefined, out: FormattedRun[]): void {
  let at = 0;
  for (let pair = nextPair(text, 0); pair; pair = nextPair(text, at)) {
    if (pair.start > at) out.push({ text: text.slice(at, pair.start), types, url });
    pairs(text.slice(pair.start + pair.open.length, pair.end), [...types, pair.type], url, out);
    at = pair.end + pair.open.length;
  }
  if (at < text.length) out.push({ text: text.slice(at), types, url });
}

function links(text: string, out: FormattedRun[]): void {
  let at = 0;
  for (const m of text.matchAll(LINK)) {
    const url = safeLinkUrl(m[2] ?? '');
    if (!url) continue;
    const start = m.index ?? 0;
    if (start > at) pairs(text.slice(at, start), [], undefined, out);
    pairs(m[1] ?? '', ['link'], url, out);
    at = start + m[0].length;
  }
  if (at < text.length) pairs(text.slice(at), [], undefined, out);
}

function inlineCode(text: string, out: FormattedRun[]): void {
  let at = 0;
  for (const m of text.matchAll(CODE)) {
    const start = m.index ?? 0;
    if (start > at) links(text.slice(at, start), out);
    out.push({ text: m[1] ?? '', types: ['code'] });
    at = start + m[0].length;
  }
  if (at < text.length) links(text.slice(at), out);
}

/** Marked text as runs (code keeps its content as typed: no marks or links inside). */
function markedRuns(marked: string): FormattedRun[] {
  const out: FormattedRun[] = [];
  let at = 0;
  for (const m of marked.matchAll(BLOCK)) {
    const body = m[1] ?? '';
    if (!body.trim()) continue;
    const start = m.index ?? 0;
    if (start > at) inlineCode(marked.slice(at, start), out);
    out.push({ text: body.replace(/\n$/, ''), types: ['pre'] });
    at = start + m[0].length;
  }
  if (at < marked.length) inlineCode(marked.slice(at), out);
  return out;
}

/**
 * Text with marks → the plain text and its entities. A mark needs a closing twin and content that
 * starts and ends right next to it ("2 ** 3" stays text); links take only http(s) and mailto.
 */
export function parseMarks(marked: string): { text: string; entities: MessageEntity[] } {
  let text = '';
  const entities: MessageEntity[] = [];
  const open = new Map<string, MessageEntity>();
  for (const run of markedRuns(marked)) {
    if (!run.text) continue;
    const offset = text.length;
    for (const type of run.types) {
      const key = type === 'link' ? `link ${run.url}` : type;
      const current = open.get(key);
      if (current && current.offset + current.length === offset) current.length += run.text.length;
      else {
        const e: MessageEntity = type === 'link' ? { type, offset, length: run.text.length, url: run.url! } : { type, offset, length: run.text.length };
        entities.push(e);
        open.set(key, e);
      }
    }
    text += run.text;
  }
  return { text, entities: sortEntities(entities) };
}

/** Outer before inner: by offset, then the longer first. */
export function sortEntities(entities: readonly MessageEntity[]): MessageEntity[] {
  return [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length || ENTITY_TYPES.indexOf(a.type) - ENTITY_TYPES.indexOf(b.type));
}

/** Text and entities back to marks, for editing a sent message in the composer. */
export function toMarks(text: string, entities: readonly MessageEntity[]): string {
  const opens = new Map<number, string[]>();
  const closes = new Map<number, string[]>();
  const at = (m: Map<number, string[]>, i: number): string[] => m.get(i) ?? (m.set(i, []), m.get(i)!);
  for (const e of sortEntities(entities)) {
    const [open, close] = e.type === 'link' ? ['[', `](${e.url})`] : e.type === 'pre' ? ['```\n', '```'] : [MARKS[e.type], MARKS[e.type]];
    at(opens, e.offset).push(open);
    // Inner entities close first.
    at(closes, e.offset + e.length).unshift(close);
  }
  let out = '';
  for (let i = 0; i <= text.length; i += 1) {
    out += (closes.get(i) ?? []).join('') + (opens.get(i) ?? []).join('');
    if (i < text.length) out += text[i];
  }
  return out;
}

// ---- text and entities → runs ---------------------------------------------------------------

/** The text cut at every entity boundary, each run with the entities over it (outer first). */
export function entityRuns(text: string, entities: readonly MessageEntity[]): FormattedRun[] {
  const sorted = sortEntities(entities).filter((e) => e.length > 0 && e.offset >= 0 && e.offset + e.length <= text.length);
  const cuts = new Set<number>([0, text.length]);
  for (const e of sorted) cuts.add(e.offset).add(e.offset + e.length);
  const points = [...cuts].sort((a, b) => a - b);
  const out: FormattedRun[] = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [from, to] = [points[i]!, points[i + 1]!];
    const over = sorted.filter((e) => e.offset <= from && e.offset + e.length >= to);
    const link = over.find((e) => e.type === 'link');
    const run: FormattedRun = { text: text.slice(from, to), types: [...new Set(over.map((e) => e.type))] };
    if (link?.url) run.url = link.url;
    out.push(run);
  }
  return out;
}

/** The text as a preview or a notification shows it: spoilers hidden. */
export function withSpoilersHidden(text: string, entities: readonly MessageEntity[]): string {
  if (!entities.some((e) => e.type === 'spoiler')) return text;
  return entityRuns(text, entities).map((r) => (r.types.includes('spoiler') ? '▒'.repeat(Math.min(r.text.length, 12)) : r.text)).join('');
}
