import type { ErrorDetail } from '@app/contracts';

/**
 * Nesting any request may have (objects and arrays inside each other); the deepest contract is
 * a handful of levels. Checked before anything recurses into the input.
 */
export const MAX_INPUT_DEPTH = 16;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const UNPAIRED = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The one rule for text in every input (REST bodies, query and path parameters, socket payloads):
 * well-formed Unicode without U+0000. PostgreSQL cannot store NUL in text, nor an unpaired
 * surrogate in JSON, so such input is refused up front and named, never stored altered.
 */
function textProblem(s: string): Omit<ErrorDetail, 'field'> | null {
  if (s.includes('\u0000')) return { code: 'nul_character', message: 'must not contain the NUL character (U+0000)' };
  if (UNPAIRED.test(s)) return { code: 'unpaired_surrogate', message: 'must be well-formed Unicode text' };
  return null;
}

/** Too deep, named by the top-level field the nesting is under. */
const tooDeep = (path: string): ErrorDetail => ({ field: path.split('.')[0] || 'body', code: 'too_deep', message: `must not nest deeper than ${MAX_INPUT_DEPTH} levels` });

const join = (path: string, key: string | number): string => (path ? `${path}.${key}` : String(key));

/**
 * The first problem in `value` by the rules above: text that breaks the text rule (in values and
 * keys), or nesting past MAX_INPUT_DEPTH (named by its top-level field). Recursion stops at that
 * depth, so a payload of any depth is safe to check.
 */
export function inputProblem(value: unknown, path = '', depth = 0): ErrorDetail | null {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { field: path || 'body', ...problem } : null;
  }
  if (typeof value !== 'object' || value === null) return null;
  if (depth >= MAX_INPUT_DEPTH) {
    return tooDeep(path);
  }
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [key, inner] of entries) {
    if (typeof key === 'string') {
      const problem = textProblem(key);
      if (problem) return { field: path || 'body', ...problem };
    }
    const found = inputProblem(inner, join(path, key), depth + 1);
    if (found) return found;
  }
  return null;
}

/** Nesting past MAX_INPUT_DEPTH only (before anything that recurses, such as JSON.stringify, meets the value). */
export function depthProblem(value: unknown, path = '', depth = 0): ErrorDetail | null {
  if (typeof value !== 'object' || value === null) return null;
  if (depth >= MAX_INPUT_DEPTH) {
    return tooDeep(path);
  }
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [key, inner] of entries) {
    const found = depthProblem(inner, join(path, key), depth + 1);
    if (found) return found;
  }
  return null;
}
