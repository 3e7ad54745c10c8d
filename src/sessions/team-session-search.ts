// Session search in a clone of a linked project: the team server answers for the sessions it holds,
// and this clone's spool for its own (the source of truth until every byte is uploaded, so its hits
// replace the server's for the same session). With the server unreachable, the spool still answers,
// and the caller is told once.

import {
  checkSearchLimit,
  compareHits,
  MAX_SEARCH_LIMIT,
  type SessionSearchQuery,
  type SessionSearchResult,
} from '../core/session-search.js';
import type { LocalSessionStore } from './local-session-store.js';
import type { SessionSearch } from './session-search-index.js';

export class TeamSessionSearch implements SessionSearch {
  constructor(
    private readonly local: SessionSearch,
    private readonly localStore: LocalSessionStore,
    private readonly server: SessionSearch,
    private readonly warn: (message: string) => void,
  ) {}

  async search(query: SessionSearchQuery): Promise<SessionSearchResult> {
    const limit = checkSearchLimit(query.limit);
    const mine = await this.local.search({ ...query, limit: MAX_SEARCH_LIMIT });
    const ids = new Set(
      (await this.localStore.list(query.itemId === undefined ? {} : { itemId: query.itemId })).map(
        (r) => r.id,
      ),
    );
    let theirs: SessionSearchResult | null = null;
    try {
      // Hits of sessions this clone holds are dropped from the server's answer: ask for that many more.
      const wanted = Math.min(MAX_SEARCH_LIMIT, limit + mine.hits.length + mine.more);
      theirs = await this.server.search({ ...query, limit: wanted });
    } catch (error) {
      this.warn(`sdd: warning: only this clone's sessions are searched: ${(error as Error).message}`);
    }
    const hits = [...mine.hits, ...(theirs?.hits ?? []).filter((h) => !ids.has(h.sessionId))].sort(
      compareHits,
    );
    return {
      query: query.q,
      terms: mine.terms,
      hits: hits.slice(0, limit),
      // the server's sessions, and this clone's it may not hold yet (counted once at most)
      sessions: Math.max(mine.sessions, theirs?.sessions ?? 0),
      more: Math.max(0, hits.length - limit) + (theirs?.more ?? 0) + mine.more,
    };
  }
}
