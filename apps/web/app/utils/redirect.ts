/** A same-site path to go to after signing in; anything else falls back to the home page. */
export function safeRedirect(value: unknown): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v !== 'string' || !v.startsWith('/') || v.startsWith('//') || v.startsWith('/\\')) return '/';
  return v;
}
