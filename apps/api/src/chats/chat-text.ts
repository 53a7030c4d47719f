import { CHAT_LIMITS } from '@app/contracts';

const INVISIBLE_ONLY = /^[\s\p{Default_Ignorable_Code_Point}]*$/u;
const CONTROL = /(?![\n\t])\p{Cc}/gu;

/** Titles and custom names: NFC, single line, trimmed; empty when nothing visible is left. */
export function cleanTitle(raw: string): string {
  const title = raw.normalize('NFC').replace(/[\r\n\t]+/g, ' ').replace(CONTROL, '').trim().slice(0, CHAT_LIMITS.titleMax);
  return INVISIBLE_ONLY.test(title) ? '' : title;
}

/** Message text: NFC, control characters dropped (newlines kept), trimmed; empty when nothing visible. */
export function cleanText(raw: string): string {
  const text = raw.normalize('NFC').replace(/\r\n?/g, '\n').replace(CONTROL, '').trim();
  return INVISIBLE_ONLY.test(text) ? '' : text;
}
