import { QueryFailedError } from 'typeorm';
import { databaseUnavailableReason } from './dependency-errors.js';
import { DomainError } from './domain-error.js';
import { toApiError } from './to-api-error.js';

/** The shape node-postgres gives a server error: an Error with the SQLSTATE in `code`. */
const pgError = (code: string, message = 'server said no'): Error => Object.assign(new Error(message), { code, severity: 'FATAL' });

describe('a database that cannot serve', () => {
  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['admin shutdown (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
    ['starting up (57P03)', pgError('57P03', 'the database system is starting up')],
    ['too many connections (53300)', pgError('53300', 'sorry, too many clients already')],
    ['statement timeout (57014)', pgError('57014', 'canceling statement due to statement timeout')],
    ['a broken connection (08006)', pgError('08006')],
    ['pool acquire timeout', new Error('timeout exceeded when trying to connect')],
    ['connect timeout', new Error('Connection terminated due to connection timeout')],
    ['a server that does not answer', new Error('Query read timeout')],
    ['a lost connection', new Error('Connection terminated unexpectedly')],
    ['a refused connect to every localhost address', Object.assign(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]), { code: '' })],
  ])('%s is 503 UNAVAILABLE with a retry delay, over REST and in acks alike', (_name, error) => {
    for (const thrown of [error, new QueryFailedError('INSERT INTO messages VALUES ($1)', ['hello'], error)]) {
      expect(databaseUnavailableReason(thrown)).not.toBeNull();
      const mapped = toApiError(thrown);
      expect(mapped).toMatchObject({ status: 503, unexpected: false, body: { code: 'UNAVAILABLE' } });
      expect(mapped.body.retryAfterMs).toBeGreaterThan(0);
    }
  });

  it.each([
    ['a unique violation', pgError('23505')],
    ['bad input that reached SQL', pgError('22P02')],
    ['a bug', new TypeError('x is undefined')],
    ['a domain error', DomainError.notFound()],
  ])('%s is not an outage', (_name, error) => {
    expect(databaseUnavailableReason(error)).toBeNull();
    expect(toApiError(error).status).not.toBe(503);
  });
});
