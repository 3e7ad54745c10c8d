// Session search on a team server: one request, answered from what the server holds.

import type { SessionSearchQuery, SessionSearchResult } from '../core/session-search.js';
import type { SessionSearch } from '../sessions/session-search-index.js';
import { connectionOf, queryString, requestJson, type ServerConnection } from './http-json.js';

export class RemoteSessionSearch implements SessionSearch {
  private readonly connection: ServerConnection;
  private readonly path: string;

  constructor(options: { url: string; projectId: string; token: string | null; timeoutMs?: number }) {
    this.connection = connectionOf(options);
    this.path = `/api/v1/projects/${encodeURIComponent(options.projectId)}/sessions/search`;
  }

  search(query: SessionSearchQuery): Promise<SessionSearchResult> {
    return requestJson(this.connection, {
      method: 'GET',
      path: this.path + queryString({ q: query.q, itemId: query.itemId, limit: query.limit }),
    });
  }
}
