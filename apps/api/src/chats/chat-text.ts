import { CHAT_LIMITS, cleanWithEntities, entityProblem, type MessageEntity } from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';

const INVISIBLE_ONLY = /^[\s\p{Default_Ignorable_Code_Point}]*$/u;
const CONTROL = /(?![\n\t])\p{Cc}/gu;

/** Titles and custom names: NFC, single line, trimmed; empty when nothing visible is left. */
export function cleanTitle(raw: string): string {
  const title = raw.normalize('NFC').replace(/[\r\n\t]+/g, ' ').replace(CONTROL, '').trim().slice(0, CHAT_LIMITS.titleMax);
  return INVISIBLE_ONLY.test(title) ? '' : title;
}

/** A stretch of message text cleaned but not trimmed: NFC, line breaks as LF, control characters dropped. */
export function cleanPiece(raw: string): string {
  return raw.normalize('NFC').replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

/** Message text: cleaned, trimmed; empty when nothing visible. */
export function cleanText(raw: string): string {
  const text = cleanPiece(raw).trim();
  return INVISIBLE_ONLY.test(text) ? '' : text;
}

/**
 * Message text with its formatting, cleaned as `cleanText` cleans text, the ranges moved along.
 * Ranges that do not fit the text as sent answer 400 (field `entities`).
 */
export function cleanFormatted(raw: string, entities: readonly MessageEntity[] = []): { text: string; entities: MessageEntity[] } {
  if (entities.length === 0) return { text: cleanText(raw), entities: [] };
  const problem = entityProblem(raw, entities);
  if (problem) throw DomainError.validation('entities', 'invalid', problem);
  // Only what the contract names is kept.
  const given = entities.map(({ type, offset, length, url }): MessageEntity => (type === 'link' ? { type, offset, length, url: url! } : { type, offset, length }));
  const out = cleanWithEntities(raw, given, cleanPiece);
  return INVISIBLE_ONLY.test(out.text) ? { text: '', entities: [] } : out;
}
