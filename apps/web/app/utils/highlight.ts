/** A piece of text, marked when it matches the search. */
export interface Segment {
  text: string;
  hit: boolean;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The search's words as the API reads them: letters and digits, folded, at most 8. */
export function searchTerms(query: string): string[] {
  const words = query.normalize('NFKC').toLocaleLowerCase().match(WORD) ?? [];
  return [...new Set(words)].slice(0, 8).sort((a, b) => b.length - a.length);
}

/**
 * The text split into plain and matching pieces: a word that starts with one of the terms has that
 * start marked (the API matches words by prefix). Rendered as text nodes, never as HTML.
 */
export function highlightSegments(text: string, query: string): Segment[] {
  const terms = searchTerms(query);
  const out: Segment[] = [];
  let at = 0;
  const push = (piece: string, hit: boolean): void => {
    if (!piece) return;
    const last = out[out.length - 1];
    if (last && last.hit === hit) last.text += piece;
    else out.push({ text: piece, hit });
  };
  if (terms.length > 0) {
    for (const match of text.matchAll(WORD)) {
      const word = match[0];
      const folded = word.normalize('NFKC').toLocaleLowerCase();
      const term = terms.find((x) => folded.startsWith(x));
      if (!term) continue;
      // Folding may change the length (rare letters): then the whole word is marked.
      const len = folded.length === word.length ? term.length : word.length;
      push(text.slice(at, match.index), false);
      push(text.slice(match.index, match.index + len), true);
      at = match.index + len;
    }
  }
  push(text.slice(at), false);
  return out;
}

/** At most `max` characters of the text, starting a little before the first match. */
export function snippet(text: string, query: string, max = 140): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const first = highlightSegments(flat, query).findIndex((s) => s.hit);
  const offset = first <= 0 ? 0 : highlightSegments(flat, query).slice(0, first).reduce((n, s) => n + s.text.length, 0);
  const start = offset < 30 ? 0 : offset - 30;
  const cut = flat.slice(start, start + max);
  return `${start > 0 ? '…' : ''}${cut}${start + max < flat.length ? '…' : ''}`;
}
