// Session search on the team server: one request answers it from the sessions the server holds
// (their extracted text kept in memory between requests, keyed by file sizes), so a client never
// downloads every session to look through them.

import { Type } from 'typebox';
import { ProjectParams } from '../../api/schemas.js';
import { MAX_SEARCH_LIMIT } from '../../core/session-search.js';
import { SearchTextCache, StoredSessionSearch } from '../../sessions/session-search-index.js';
import { type ApiApp, errorResponses, principalOf, type RouteContext } from '../api-app.js';

const SearchQuery = Type.Object(
  {
    q: Type.String({
      minLength: 1,
      maxLength: 1000,
      description: 'words and "quoted phrases"; all must match',
    }),
    itemId: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    limit: Type.Optional(
      Type.String({ pattern: '^[1-9][0-9]{0,2}$', description: `1 to ${MAX_SEARCH_LIMIT}` }),
    ),
  },
  { additionalProperties: false },
);

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const SearchHitSchema = Type.Object({
  sessionId: Type.String(),
  itemId: Type.String(),
  itemRef: Nullable(Type.String()),
  itemTitle: Nullable(Type.String()),
  actor: Type.String(),
  agent: Type.String(),
  startedAt: Type.String(),
  status: Type.String(),
  source: Type.Union([
    Type.Literal('transcript'),
    Type.Literal('terminal'),
    Type.Literal('marker'),
    Type.Literal('note'),
  ]),
  kind: Nullable(Type.String()),
  snippet: Type.String(),
  highlights: Type.Array(Type.Array(Type.Integer(), { minItems: 2, maxItems: 2 })),
  time: Nullable(Type.Number()),
  replay: Type.String(),
  score: Type.Number(),
});

const SearchResultSchema = Type.Object({
  query: Type.String(),
  terms: Type.Array(Type.String()),
  hits: Type.Array(SearchHitSchema),
  sessions: Type.Integer(),
  more: Type.Integer(),
});

/** Bytes of text the server keeps for search, over all projects: the least recently searched go first. */
export const DEFAULT_SEARCH_CACHE_CHARS = 256 * 1024 * 1024;

export function sessionSearchRoutes(app: ApiApp, { team, projects }: RouteContext): void {
  const cache = new SearchTextCache(DEFAULT_SEARCH_CACHE_CHARS);

  app.get(
    '/projects/:project/sessions/search',
    {
      schema: {
        tags: ['sessions'],
        operationId: 'searchSessions',
        description:
          'Sessions whose transcript, terminal text, markers or notes hold every word of `q` (any case), in one line or message or neighbouring ones; best first, then newest. Each hit has the moment to replay.',
        params: ProjectParams,
        querystring: SearchQuery,
        response: { 200: SearchResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { project } = request.params;
      const service = await projects.serviceFor(principalOf(request), project);
      const { q, itemId, limit } = request.query;
      const search = new StoredSessionSearch(
        team.sessionStore(project),
        async () => service.listItems(),
        cache,
        `${project}/`,
      );
      return search.search({
        q,
        ...(itemId !== undefined && { itemId }),
        ...(limit !== undefined && { limit: Number(limit) }),
      });
    },
  );
}
