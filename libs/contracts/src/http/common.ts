/** A keyset page: pass `nextCursor` back as `cursor` to get the next one; null means the end. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageQuery {
  cursor?: string;
  limit?: number;
}

export interface HealthView {
  status: 'ok' | 'degraded';
  checks: Record<string, 'up' | 'down'>;
  /** Work waiting: push notifications not yet delivered (null when the database does not answer). */
  queues: { push: number | null };
  version: string;
}
