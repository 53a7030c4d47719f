import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface SearchTerms {
  /** The query folded like usernames are (NFKC, case-folded), to compare with `username_key`. */
  key: string;
  /** The query lower-cased, to compare with `lower(display_name)`. */
  lower: string;
}

export interface SearchHit {
  id: string;
  score: number;
}

/** Below this word similarity a trigram match is not a candidate (pg_trgm's default is 0.6). */
const WORD_SIMILARITY_THRESHOLD = 0.3;

const likePrefix = (s: string): string => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Candidates come from the trigram indexes (prefix LIKE and word similarity, so a typo still
 * matches); the score ranks exact > username prefix > display-name word prefix, then by the
 * closer of trigram word similarity and edit distance to the start of the name. Users who may
 * not find the viewer (privacy.search) and blocks either way are filtered in SQL, before paging.
 */
const SEARCH_SQL = `
  SELECT id, score FROM (
    SELECT u.id, (
      GREATEST(
        CASE WHEN u.username_key = $2 THEN 3 WHEN u.username_key LIKE $4 THEN 2 ELSE 0 END,
        CASE WHEN lower(u.display_name) = $3 THEN 3
             WHEN lower(u.display_name) LIKE $5 OR lower(u.display_name) LIKE '% ' || $5 THEN 1.5 ELSE 0 END)
      + GREATEST(
        word_similarity($2, u.username_key),
        word_similarity($3, lower(u.display_name)),
        1 - levenshtein($2, left(u.username_key, char_length($2)))::float8 / char_length($2),
        (SELECT max(1 - levenshtein($3, left(w, char_length($3)))::float8 / char_length($3))
           FROM regexp_split_to_table(lower(u.display_name), '\\s+') AS w),
        0)
    )::float8 AS score
    FROM users u
    WHERE (u.username_key LIKE $4 OR lower(u.display_name) LIKE $5 OR lower(u.display_name) LIKE '% ' || $5
           OR $2 <% u.username_key OR $3 <% lower(u.display_name))
      AND u.id <> $1
      AND NOT EXISTS (SELECT 1 FROM blocks b
        WHERE (b.blocker_id = $1 AND b.blocked_id = u.id) OR (b.blocker_id = u.id AND b.blocked_id = $1))
      AND (u.privacy_search = 'everyone' OR (u.privacy_search = 'friends' AND EXISTS (
        SELECT 1 FROM friendships f WHERE f.user_low = LEAST($1::uuid, u.id) AND f.user_high = GREATEST($1::uuid, u.id)
          AND f.state = 'accepted')))
  ) s
  WHERE (score, id) < ($6::float8, $7::uuid)
  ORDER BY score DESC, id DESC
  LIMIT $8`;

@Injectable()
export class SearchRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Users the viewer may find, best match first, strictly after `(score, id)`. */
  search(viewerId: string, terms: SearchTerms, after: { score: number | 'Infinity'; id: string }, take: number): Promise<SearchHit[]> {
    return this.db.transaction(async (m) => {
      await m.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [String(WORD_SIMILARITY_THRESHOLD)]);
      const rows: { id: string; score: number }[] = await m.query(SEARCH_SQL, [
        viewerId, terms.key, terms.lower, likePrefix(terms.key), likePrefix(terms.lower), String(after.score), after.id, take,
      ]);
      return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
    });
  }
}
