import { MARKS, safeLinkUrl } from '@app/contracts';

/**
 * The composer's formatting marks (formatting.ts in the contracts: **bold**, __italic__,
 * ~~strikethrough~~, `code`, ||spoiler|| and [text](link)), put around a selection by a shortcut or
 * the selection toolbar; the text is sent as plain text plus ranges.
 */
export interface MarkEdit {
  text: string;
  start: number;
  end: number;
}

export type ToolbarMark = keyof typeof MARKS;

/** Every mark the toolbar offers. */
export const TOOLBAR_MARKS = Object.keys(MARKS) as ToolbarMark[];

const SHORTCUTS: Record<string, ToolbarMark> = { b: 'bold', i: 'italic', 'shift+x': 'strike', 'shift+m': 'code', 'shift+p': 'spoiler' };

/** The selection wrapped in the mark, or unwrapped when it already is; null for an empty selection. */
export function toggleMark(text: string, start: number, end: number, kind: ToolbarMark): MarkEdit | null {
  const mark = MARKS[kind];
  if (start === end) return null;
  const before = text.slice(0, start);
  const picked = text.slice(start, end);
  const after = text.slice(end);
  if (before.endsWith(mark) && after.startsWith(mark)) {
    return { text: before.slice(0, -mark.length) + picked + after.slice(mark.length), start: start - mark.length, end: end - mark.length };
  }
  return { text: `${before}${mark}${picked}${mark}${after}`, start: start + mark.length, end: end + mark.length };
}

/** Whether the selection sits right inside this mark (the toolbar shows the button pressed). */
export function hasMark(text: string, start: number, end: number, kind: ToolbarMark): boolean {
  const mark = MARKS[kind];
  return start !== end && text.slice(0, start).endsWith(mark) && text.slice(end).startsWith(mark);
}

/**
 * The selection as a link, `[selection](address)`: null for an empty selection or an address that
 * may not be opened (only http, https and mailto; a bare host name gets https://).
 */
export function linkSelection(text: string, start: number, end: number, address: string): MarkEdit | null {
  const raw = address.trim();
  const url = safeLinkUrl(/^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `https://${raw}`);
  if (start === end || !url) return null;
  const label = text.slice(start, end);
  return { text: `${text.slice(0, start)}[${label}](${url})${text.slice(end)}`, start: start + 1, end: end + 1 };
}

/**
 * The composer's formatting shortcut for a key (Ctrl/⌘+B bold, +I italic, +Shift+X strikethrough,
 * +Shift+M code, +Shift+P spoiler); null for other keys or an empty selection.
 */
export function applyShortcut(text: string, start: number, end: number, key: string, shift: boolean): MarkEdit | null {
  const kind = SHORTCUTS[`${shift ? 'shift+' : ''}${key.toLowerCase()}`];
  return kind ? toggleMark(text, start, end, kind) : null;
}
