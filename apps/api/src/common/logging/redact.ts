const SENSITIVE = /password|token|secret|authorization|cookie/i;

/** Deep copy with the value of every sensitive-looking key replaced. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SENSITIVE.test(key) ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}
