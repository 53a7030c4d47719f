import { Logger, type ArgumentsHost, type CallHandler, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { firstValueFrom, of, throwError } from 'rxjs';
import type { Ack } from '@app/contracts';
import { loadConfig } from '../../config/app-config.js';
import { DomainError } from '../errors/domain-error.js';
import { SocketAckFilter } from './socket-ack.filter.js';
import { SocketAckInterceptor } from './socket-ack.interceptor.js';

const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), DATA_DIR: '/nonexistent-test-dir', LOG_LEVEL: 'silent' });

function wsContext(data: unknown, ack: unknown): ExecutionContext {
  const handler = function send(): void {};
  return {
    getType: () => 'ws',
    getArgByIndex: (i: number) => [{}, data, ack][i],
    getArgs: () => [{}, data, ack],
    getHandler: () => handler,
    getClass: () => Object,
    switchToWs: () => ({ getData: () => data, getClient: () => ({}), getPattern: () => 'message:send' }),
  } as unknown as ExecutionContext;
}

// The unexpected errors below are logged on purpose; keep them out of the test output.
beforeAll(() => Logger.overrideLogger(false));

const handled = (work: CallHandler['handle']): CallHandler => ({ handle: work });
const run = (ctx: ExecutionContext, next: CallHandler): Promise<Ack<unknown> | undefined> =>
  firstValueFrom(new SocketAckInterceptor(new Reflector(), config).intercept(ctx, next));

describe('SocketAckInterceptor', () => {
  const ack = (): void => undefined;

  it('wraps a returned value, and null for nothing', async () => {
    await expect(run(wsContext({}, ack), handled(() => of({ id: 1 })))).resolves.toEqual({ ok: true, data: { id: 1 } });
    await expect(run(wsContext({}, ack), handled(() => of(undefined)))).resolves.toEqual({ ok: true, data: null });
  });

  it('answers a DomainError in the documented shape and anything else as INTERNAL, without internals', async () => {
    await expect(run(wsContext({}, ack), handled(() => throwError(() => DomainError.notFound())))).resolves.toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Not found' },
    });
    await expect(run(wsContext({}, ack), handled(() => throwError(() => new Error('relation "x" does not exist'))))).resolves.toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Internal error' },
    });
  });

  it('never runs a handler sent without an ack, and answers an oversized event without running it', async () => {
    let ran = 0;
    const next = handled(() => {
      ran += 1;
      return of(null);
    });
    await expect(run(wsContext({}, undefined), next)).resolves.toBeUndefined();
    const big = { text: 'x'.repeat(config.realtime.eventMaxBytes) };
    await expect(run(wsContext(big, ack), next)).resolves.toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(ran).toBe(0);
  });
});

describe('SocketAckFilter', () => {
  function host(ack: unknown): ArgumentsHost {
    return { getType: () => 'ws', getArgByIndex: (i: number) => [{}, {}, ack][i] } as unknown as ArgumentsHost;
  }

  it('answers an error thrown outside the interceptor as exactly one failed ack', () => {
    const replies: unknown[] = [];
    new SocketAckFilter().catch(new Error('boom'), host((r: unknown) => replies.push(r)));
    expect(replies).toEqual([{ ok: false, error: { code: 'INTERNAL', message: 'Internal error' } }]);
  });

  it('stays silent when there is no ack to answer', () => {
    expect(() => new SocketAckFilter().catch(new DomainError('FORBIDDEN', 'no'), host(undefined))).not.toThrow();
  });
});
