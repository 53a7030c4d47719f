import { stdSerializers } from 'pino';
import { QueryFailedError } from 'typeorm';
import { serializeError, statementOf } from './error-serializer.js';

const typed = 'what the user typed';

describe('logged query errors', () => {
  it('name the operation and the SQLSTATE, never the parameters, the SQL or the server message', () => {
    const driver = Object.assign(new Error(`invalid input syntax for type uuid: "${typed}"`), {
      code: '22P02', severity: 'ERROR', detail: `Key (text)=(${typed})`, table: 'messages',
    });
    const failed = new QueryFailedError('INSERT INTO messages (id, text) VALUES ($1, $2)', ['id-1', typed], driver);
    for (const e of [failed, driver]) {
      const logged = serializeError(stdSerializers.err(e) as never) as Record<string, unknown>;
      expect(JSON.stringify(logged)).not.toContain(typed);
      expect(logged).toMatchObject({ message: 'query failed', sqlState: '22P02', table: 'messages' });
    }
    expect(serializeError(stdSerializers.err(failed) as never)).toMatchObject({ statement: 'INSERT messages' });
  });

  it('leave other errors as pino serializes them', () => {
    const serialized = stdSerializers.err(new TypeError('boom'));
    expect(serializeError(serialized as never)).toBe(serialized);
  });

  it.each([
    ['UPDATE chats c SET last_seq = 1 WHERE id = $1', 'UPDATE chats'],
    ['DELETE FROM chat_events WHERE chat_id = $1', 'DELETE chat_events'],
    ['WITH c AS (UPDATE chats SET x = 1 RETURNING *) SELECT * FROM c', 'UPDATE chats'],
    ['SELECT u.id FROM users u', 'SELECT users'],
  ])('%s → %s', (sql, name) => {
    expect(statementOf(sql)).toBe(name);
  });
});
