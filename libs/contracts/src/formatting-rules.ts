import { ENTITY_LIMITS, ENTITY_TYPES, safeLinkUrl, sortEntities, type MessageEntity } from './formatting.js';

const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);
/** Whether offset `i` falls between the two halves of a surrogate pair. */
const splitsPair = (text: string, i: number): boolean => i > 0 && i < text.length && /[\uD800-\uDBFF]/.test(text[i - 1]!) && /[\uDC00-\uDFFF]/.test(text[i]!);

/**
 * Why these entities cannot go with this text, or null when they can: known types, whole ranges
 * inside the text (never splitting a character), at most ENTITY_LIMITS.max, a safe address on every
 * link and on nothing else, ranges either apart or one inside the other (never crossing, never the
 * same type twice over a character), and nothing inside code.
 */
export function entityProblem(text: string, entities: readonly MessageEntity[]): string | null {
  if (entities.length > ENTITY_LIMITS.max) return `At most ${ENTITY_LIMITS.max} formatting ranges are allowed`;
  for (const e of entities) {
    if (!ENTITY_TYPES.includes(e.type)) return 'Unknown formatting type';
    if (!isInt(e.offset) || !isInt(e.length) || e.offset < 0 || e.length < 1 || e.offset + e.length > text.length) return 'A formatting range lies outside the text';
    if (splitsPair(text, e.offset) || splitsPair(text, e.offset + e.length)) return 'A formatting range splits a character';
    if (e.type === 'link') {
      if (typeof e.url !== 'string' || !safeLinkUrl(e.url)) return 'Links may only open http, https or mailto addresses';
    } else if (e.url !== undefined) return 'Only links have an address';
  }
  const sorted = sortEntities(entities);
  for (let i = 0; i < sorted.length; i += 1) {
    const a = sorted[i]!;
    const aEnd = a.offset + a.length;
    for (let j = i + 1; j < sorted.length && sorted[j]!.offset < aEnd; j += 1) {
      const b = sorted[j]!;
      if (b.offset + b.length > aEnd) return 'Formatting ranges may nest but not cross';
      if (a.type === b.type) return 'The same formatting twice over one stretch';
      if (a.type === 'code' || a.type === 'pre' || b.type === 'pre') return 'Code takes no other formatting';
    }
  }
  return null;
}

/**
 * The text cleaned the way the server stores it (as `clean` does to a whole text) with the entities
 * moved along: each stretch between boundaries is cleaned on its own, the whole is trimmed, and a
 * range left empty is dropped.
 */
export function cleanWithEntities(
  raw: string,
  entities: readonly MessageEntity[],
  clean: (piece: string) => string,
): { text: string; entities: MessageEntity[] } {
  const cuts = [...new Set([0, raw.length, ...entities.flatMap((e) => [e.offset, e.offset + e.length])])]
    .filter((n) => n >= 0 && n <= raw.length)
    .sort((a, b) => a - b);
  const moved = new Map<number, number>([[0, 0]]);
  let text = '';
  for (let i = 0; i + 1 < cuts.length; i += 1) {
    text += clean(raw.slice(cuts[i], cuts[i + 1]));
    moved.set(cuts[i + 1]!, text.length);
  }
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const at = (n: number): number => Math.min(Math.max((moved.get(n) ?? n) - lead, 0), trimmed.length);
  const out: MessageEntity[] = [];
  for (const e of entities) {
    const offset = at(e.offset);
    const length = at(e.offset + e.length) - offset;
    if (length > 0) out.push({ ...e, offset, length });
  }
  return { text: trimmed, entities: out };
}
