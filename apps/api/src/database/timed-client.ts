import pg from 'pg';

type Callback = (err: unknown, res?: unknown) => void;
type QueryFn = (...args: unknown[]) => unknown;

/** node-postgres's error when a query got no answer within query_timeout. */
const NO_ANSWER = 'Query read timeout';

/**
 * A node-postgres client that opens within `connectMs`, and drops its connection when a query got
 * no answer in time: the server is frozen, so anything sent after it on the same connection (a
 * ROLLBACK, the next request's query) would only wait behind it for another full timeout.
 */
export function timedClient(connectMs: number): typeof pg.Client {
  return class TimedClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(typeof config === 'string' ? { connectionString: config, connectionTimeoutMillis: connectMs } : { ...config, connectionTimeoutMillis: connectMs });
      const query = (this.query as QueryFn).bind(this);
      const dropIfSilent = (err: unknown): void => {
        if (err instanceof Error && err.message === NO_ANSWER) {
          (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
        }
      };
      const guarded: QueryFn = (...args) => {
        const last = args[args.length - 1];
        if (typeof last === 'function') {
          args[args.length - 1] = ((err, res) => {
            dropIfSilent(err);
            (last as Callback)(err, res);
          }) satisfies Callback;
          return query(...args);
        }
        const result = query(...args);
        if (result instanceof Promise) result.catch(dropIfSilent);
        return result;
      };
      Object.assign(this, { query: guarded });
    }
  };
}
