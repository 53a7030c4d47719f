import { prettyDestination, prettyLine } from './pretty.js';

const record = (fields: Record<string, unknown>): string => JSON.stringify({ level: 30, time: Date.parse('2026-01-02T03:04:05Z'), ...fields });

describe('pretty log lines', () => {
  it('prints one line with time, level, context and message', () => {
    const line = prettyLine(record({ context: 'MailService', msg: 'mail is kept in /srv/mail' }), false);
    expect(line).toMatch(/^\d\d:\d\d:\d\d INFO  MailService: mail is kept in \/srv\/mail$/);
  });

  it("leaves out Nest's start-up chatter unless asked for debug, but never its warnings", () => {
    const routes = record({ context: 'RouterExplorer', msg: 'Mapped {/api/chats, GET} route' });
    expect(prettyLine(routes, false)).toBeNull();
    expect(prettyLine(routes, true)).toContain('Mapped {/api/chats, GET} route');
    expect(prettyLine(record({ level: 40, context: 'InstanceLoader', msg: 'odd' }), false)).toContain('WARN');
  });

  it('adds the error message, and the stack for errors', () => {
    const line = prettyLine(record({ level: 50, context: 'Http', msg: 'failed', err: { message: 'boom', stack: 'Error: boom\n    at x' } }), false);
    expect(line?.split('\n')[0]).toMatch(/ERROR Http: failed: boom$/);
    expect(line).toContain('    at x');
  });

  it('writes each record of a chunk on its own line and passes non-JSON text through', () => {
    const out: string[] = [];
    const dest = prettyDestination(false, { write: (s: string) => out.push(s) });
    dest.write(`${record({ msg: 'a' })}\n${record({ context: 'NestFactory', msg: 'Starting' })}\nplain text\n`);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/INFO  a\n$/);
    expect(out[1]).toBe('plain text\n');
  });
});
