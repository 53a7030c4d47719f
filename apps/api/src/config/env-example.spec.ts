import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV } from './env.schema.js';

/** `NAME=value  # doc` lines of the API part of .env.example (the web part is Nuxt's). */
function exampleVariables(): Map<string, string> {
  const text = readFileSync(join(process.cwd(), '.env.example'), 'utf8');
  const api = text.split('# --- Web')[0];
  const vars = new Map<string, string>();
  for (const line of api.split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=("[^"]*"|\S*)/.exec(line);
    if (match) vars.set(match[1], match[2].replace(/^"|"$/g, ''));
  }
  return vars;
}

/** The default a variable's schema gives when it is unset, or undefined when it has none. */
function defaultOf(name: keyof typeof ENV): string | undefined {
  const parsed = ENV[name].schema.safeParse(undefined);
  return parsed.success && parsed.data !== undefined ? String(parsed.data) : undefined;
}

describe('.env.example', () => {
  const documented = exampleVariables();

  it('documents exactly the variables the API reads', () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(ENV).sort());
  });

  it.each(Object.keys(ENV) as (keyof typeof ENV)[])('gives %s the default its schema has', (name) => {
    expect(documented.get(name)).toBe(defaultOf(name) ?? '');
  });

  it('every variable has a doc line in the schema', () => {
    for (const [name, v] of Object.entries(ENV)) expect([name, v.doc.length > 3]).toEqual([name, true]);
  });
});
