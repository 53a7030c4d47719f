import { Injectable } from '@nestjs/common';
import { LIMITS, type Page, type UserSearchQuery, type UserView } from '@app/contracts';
import { DEFAULT_PAGE_SIZE, MAX_UUID, decodeCursor, encodeCursor, isFiniteNumber, isUuid, slicePage } from '../common/pagination/cursor.js';
import { usernameKey } from '../users/username.js';
import { SearchRepository, type SearchTerms } from './search.repository.js';
import { UserViewsService } from './user-views.service.js';

const clip = (s: string): string => [...s].slice(0, LIMITS.searchQueryMax).join('');

export function searchTerms(q: string): SearchTerms {
  const text = q.normalize('NFC').trim();
  return { key: clip(usernameKey(text)), lower: clip(text.toLowerCase()) };
}

/** Where a search page starts: after the cursor's (score, id), or from the best match. */
function searchKeyOf(cursor: string | undefined): { score: number | 'Infinity'; id: string } {
  if (!cursor) return { score: 'Infinity', id: MAX_UUID };
  const [score, id] = decodeCursor<[number, string]>(cursor, [isFiniteNumber, isUuid]);
  return { score, id };
}

/** User search: by username or display name, prefix and typo tolerant, privacy and blocks respected. */
@Injectable()
export class SearchService {
  constructor(
    private readonly repo: SearchRepository,
    private readonly views: UserViewsService,
  ) {}

  async search(viewerId: string, query: UserSearchQuery): Promise<Page<UserView>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const terms = searchTerms(query.q);
    if (!terms.key || !terms.lower) return { items: [], nextCursor: null };
    const page = slicePage(await this.repo.search(viewerId, terms, searchKeyOf(query.cursor), limit + 1), limit);
    const views = await this.views.views(viewerId, page.rows.map((r) => r.id));
    const last = page.rows.at(-1);
    return {
      items: page.rows.flatMap((r) => { const user = views.get(r.id); return user ? [user] : []; }),
      nextCursor: page.more && last ? encodeCursor([last.score, last.id]) : null,
    };
  }
}
