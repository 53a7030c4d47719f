import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { PushPayload, PushSubscriptionRequest } from '@app/contracts';
import { modifyReturning } from '../database/sql.js';

/** A subscription that may get a push about a message, with what the payload needs. */
export interface MessageRecipientRow {
  subscription_id: string;
  session_id: string;
  user_id: string;
  preview: boolean;
  chat_kind: 'direct' | 'group';
  group_title: string | null;
  custom_name: string | null;
}

export interface SubscriptionRow {
  subscription_id: string;
  session_id: string;
  user_id: string;
  preview: boolean;
}

export interface NewJob {
  subscriptionId: string;
  payload: PushPayload;
}

export interface ClaimedJob {
  id: string;
  attempts: number;
  payload: PushPayload;
  subscription_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** Subscriptions of sessions still alive. */
const LIVE = `JOIN sessions ss ON ss.id = s.session_id AND ss.revoked_at IS NULL AND ss.expires_at > now()`;

/** Push subscriptions, the preview setting, who gets what, and the outgoing queue. */
@Injectable()
export class PushRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One subscription per session: this one replaces the session's others; an endpoint moves to the latest session. */
  async subscribe(userId: string, sessionId: string, sub: PushSubscriptionRequest): Promise<void> {
    await this.db.query(
      `WITH gone AS (DELETE FROM push_subscriptions WHERE session_id = $2 AND endpoint <> $3)
       INSERT INTO push_subscriptions (user_id, session_id, endpoint, p256dh, auth) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (endpoint) DO UPDATE SET user_id = $1, session_id = $2, p256dh = $4, auth = $5, created_at = now()`,
      [userId, sessionId, sub.endpoint, sub.keys.p256dh, sub.keys.auth],
    );
  }

  async deleteForSessions(sessionIds: string[]): Promise<number> {
    if (sessionIds.length === 0) return 0;
    const rows = await modifyReturning<{ id: string }>(this.db.manager, 'DELETE FROM push_subscriptions WHERE session_id = ANY($1::uuid[]) RETURNING id', [sessionIds]);
    return rows.length;
  }

  async deleteSubscription(id: string): Promise<void> {
    await this.db.query('DELETE FROM push_subscriptions WHERE id = $1', [id]);
  }

  async preview(userId: string): Promise<boolean> {
    const rows = (await this.db.query('SELECT preview FROM push_settings WHERE user_id = $1', [userId])) as { preview: boolean }[];
    return rows[0]?.preview ?? false;
  }

  async setPreview(userId: string, preview: boolean): Promise<void> {
    await this.db.query(
      'INSERT INTO push_settings (user_id, preview) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET preview = $2',
      [userId, preview],
    );
  }

  /**
   * The subscriptions of the chat's other members who should hear of a message: not muted (or
   * muted but for mentions, and mentioned), not blocking the sender.
   */
  async messageRecipients(chatId: string, senderId: string, mentions: string[]): Promise<MessageRecipientRow[]> {
    return (await this.db.query(
      `SELECT s.id AS subscription_id, s.session_id, s.user_id, coalesce(ps.preview, false) AS preview,
              c.kind AS chat_kind, c.title AS group_title, cm.custom_name
         FROM chat_members cm
         JOIN chats c ON c.id = cm.chat_id
         JOIN push_subscriptions s ON s.user_id = cm.user_id
         ${LIVE}
         LEFT JOIN push_settings ps ON ps.user_id = cm.user_id
        WHERE cm.chat_id = $1 AND cm.user_id <> $2
          AND (cm.muted_until IS NULL OR cm.muted_until <= now() OR (cm.mute_mentions_only AND cm.user_id = ANY($3::uuid[])))
          AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = cm.user_id AND b.blocked_id = $2)`,
      [chatId, senderId, mentions],
    )) as MessageRecipientRow[];
  }

  /** A user's live subscriptions (for a friend request, unless the user blocks the sender). */
  async userSubscriptions(userId: string, fromId: string): Promise<SubscriptionRow[]> {
    return (await this.db.query(
      `SELECT s.id AS subscription_id, s.session_id, s.user_id, false AS preview
         FROM push_subscriptions s ${LIVE}
        WHERE s.user_id = $1 AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = $1 AND b.blocked_id = $2)`,
      [userId, fromId],
    )) as SubscriptionRow[];
  }

  async enqueue(jobs: NewJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.db.query(
      `INSERT INTO push_jobs (subscription_id, payload) SELECT * FROM unnest($1::uuid[], $2::jsonb[])`,
      [jobs.map((j) => j.subscriptionId), jobs.map((j) => JSON.stringify(j.payload))],
    );
  }

  /** Takes up to `limit` due jobs for `leaseSeconds` (another instance takes them after that if this one died). */
  async claim(limit: number, leaseSeconds: number): Promise<ClaimedJob[]> {
    return modifyReturning<ClaimedJob>(
      this.db.manager,
      `UPDATE push_jobs j SET attempts = j.attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
         FROM (SELECT id FROM push_jobs WHERE next_attempt_at <= now() ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED) due,
              push_subscriptions s
        WHERE j.id = due.id AND s.id = j.subscription_id
       RETURNING j.id, j.attempts, j.payload, s.id AS subscription_id, s.endpoint, s.p256dh, s.auth`,
      [limit, leaseSeconds],
    );
  }

  async done(jobId: string): Promise<void> {
    await this.db.query('DELETE FROM push_jobs WHERE id = $1', [jobId]);
  }

  /** Backoff per subscription: this job and the subscription's other waiting ones wait until `at`. */
  async retryAt(jobId: string, subscriptionId: string, at: Date): Promise<void> {
    await this.db.query(
      'UPDATE push_jobs SET next_attempt_at = greatest(next_attempt_at, $3) WHERE id = $1 OR subscription_id = $2',
      [jobId, subscriptionId, at],
    );
  }

  async pending(): Promise<number> {
    const rows = (await this.db.query('SELECT count(*)::int AS n FROM push_jobs')) as { n: number }[];
    return rows[0].n;
  }
}
