import { parseMarks, withSpoilersHidden, type MessageEntity } from '@app/contracts';

/**
 * Message text as plain-text segments: the UI renders each with text interpolation (never as
 * HTML), links as <a rel="noopener noreferrer"> with a checked http(s) URL, mentions highlighted.
 */
export type TextSegment =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; href: string }
  | { kind: 'mention'; text: string; username: string };

const LINK = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+/giu;
// The API's mention pattern: "@name" not preceded by a name character.
const MENTION = /(^|[^\p{L}\p{N}_.])@([\p{L}\p{N}_.]{3,32})/gu;
const TRAILING = /[.,;:!?'"»”’)\]}>]+$/u;

/** A link's safe href, or null: only http(s), never javascript:, data: or other schemes. */
export function safeHref(raw: string): string | null {
  const candidate = /^www\./i.test(raw) ? `https://${raw}` : raw;
  try {
    const url = new URL(candidate);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (!url.hostname) return null;
    return url.href;
  } catch {
    return null;
  }
}

/** Drops trailing punctuation from a detected link, keeping a ")" that closes a "(" inside it. */
function trimLink(raw: string): string {
  let out = raw;
  for (;;) {
    const m = TRAILING.exec(out);
    if (!m) return out;
    const tail = m[0];
    // Keep balanced closing parentheses (e.g. Wikipedia links).
    let keep = 0;
    if (tail.startsWith(')')) {
      const opens = (out.match(/\(/g) ?? []).length;
      const closes = (out.slice(0, out.length - tail.length).match(/\)/g) ?? []).length;
      if (opens > closes) keep = 1;
    }
    const next = out.slice(0, out.length - tail.length + keep);
    if (next === out) return out;
    out = next;
  }
}

function mentionSegments(text: string, isMember: (username: string) => boolean): TextSegment[] {
  const out: TextSegment[] = [];
  let last = 0;
  for (const m of text.matchAll(MENTION)) {
    const lead = m[1] ?? '';
    const name = m[2] ?? '';
    if (!isMember(name)) continue;
    const at = (m.index ?? 0) + lead.length;
    if (at > last) out.push({ kind: 'text', text: text.slice(last, at) });
    out.push({ kind: 'mention', text: `@${name}`, username: name });
    last = at + name.length + 1;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/**
 * Splits text into text, link and mention segments. `isMember` says whether an @name is someone
 * in the chat (only those are highlighted); without it no mentions are marked.
 */
export function tokenizeMessage(text: string, isMember: (username: string) => boolean = () => false): TextSegment[] {
  const out: TextSegment[] = [];
  let last = 0;
  for (const m of text.matchAll(LINK)) {
    const start = m.index ?? 0;
    const raw = trimLink(m[0]);
    const href = safeHref(raw);
    if (!href) continue;
    if (start > last) out.push(...mentionSegments(text.slice(last, start), isMember));
    out.push({ kind: 'link', text: raw, href });
    last = start + raw.length;
  }
  if (last < text.length) out.push(...mentionSegments(text.slice(last), isMember));
  return out;
}

/** Normalised username key, as the API compares them. */
export function usernameKey(name: string): string {
  return name.normalize('NFKC').toLocaleLowerCase('und');
}

/** The "@que" being typed just before the caret, for the mention autocomplete; null when none. */
export function mentionQueryAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const m = /(^|[^\p{L}\p{N}_.])@([\p{L}\p{N}_.]{0,32})$/u.exec(before);
  if (!m) return null;
  const query = m[2] ?? '';
  return { start: caret - query.length - 1, query };
}

/** Replaces the "@que" at `start` with "@username " and returns the new text and caret. */
export function insertMention(text: string, start: number, caret: number, username: string): { text: string; caret: number } {
  const inserted = `@${username} `;
  return { text: text.slice(0, start) + inserted + text.slice(caret), caret: start + inserted.length };
}

/** A one-line preview of a message for the chat list and quotes: plain, spoilers hidden. */
export function previewText(text: string | null, entities: readonly MessageEntity[] = [], max = 120): string {
  if (text === null) return '';
  const line = withSpoilersHidden(text, entities).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The same for text as typed, with its marks (a draft). */
export function previewMarked(marked: string, max = 120): string {
  const { text, entities } = parseMarks(marked);
  return previewText(text, entities, max);
}

/** Whether the text is only emoji (1–3), shown larger like other messengers do. */
export function isEmojiOnly(text: string | null): boolean {
  if (!text) return false;
  const t = text.trim();
  if (t.length === 0 || t.length > 32) return false;
  if (!/^(?:\p{Extended_Pictographic}|\p{Emoji_Component}|\u200D|\uFE0F|\s)+$/u.test(t)) return false;
  if (/^[\d#*\s]+$/.test(t)) return false;
  const seg = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let n = 0;
  for (const s of seg.segment(t)) if (s.segment.trim()) n += 1;
  return n >= 1 && n <= 3;
}
