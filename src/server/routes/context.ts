// The team context of one project: the latest version of each document, one version, a document's
// history, and saving a new version on top of the one an edit started from (409 when it is stale).

import { Type } from 'typebox';
import {
  ContextParams,
  ContextVersionInfoSchema,
  ContextVersionQuery,
  ContextVersionSchema,
  PutContextBody,
  PutContextResultSchema,
} from '../../api/context-schemas.js';
import { ProjectParams } from '../../api/schemas.js';
import { checkAccess, type Principal } from '../../core/access.js';
import type { ContextLog } from '../../core/context-log.js';
import { type ApiApp, actorOf, errorResponses, principalOf, type RouteContext } from '../api-app.js';

const tags = ['context'];

export function contextRoutes(app: ApiApp, { team, projects }: RouteContext): void {
  /** The project's context, once the token may see the project and it exists (the tracker's 404 otherwise). */
  async function contextOf(principal: Principal, project: string): Promise<ContextLog> {
    await projects.serviceFor(principal, project);
    return team.contextLog(project);
  }

  app.get(
    '/projects/:project/context',
    {
      schema: {
        tags,
        operationId: 'listContext',
        params: ProjectParams,
        response: { 200: Type.Array(ContextVersionSchema), ...errorResponses },
      },
    },
    async (request) => (await contextOf(principalOf(request), request.params.project)).listContext(),
  );

  app.get(
    '/projects/:project/context/:name',
    {
      schema: {
        tags,
        operationId: 'getContext',
        params: ContextParams,
        querystring: ContextVersionQuery,
        response: { 200: ContextVersionSchema, ...errorResponses },
      },
    },
    async (request) => {
      const log = await contextOf(principalOf(request), request.params.project);
      const { version } = request.query;
      return log.getContext(request.params.name, version === undefined ? undefined : Number(version));
    },
  );

  app.get(
    '/projects/:project/context/:name/versions',
    {
      schema: {
        tags,
        operationId: 'contextHistory',
        params: ContextParams,
        response: { 200: Type.Array(ContextVersionInfoSchema), ...errorResponses },
      },
    },
    async (request) =>
      (await contextOf(principalOf(request), request.params.project)).contextHistory(request.params.name),
  );

  app.put(
    '/projects/:project/context/:name',
    {
      schema: {
        tags,
        operationId: 'putContext',
        params: ContextParams,
        body: PutContextBody,
        response: { 200: PutContextResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const log = await contextOf(principal, request.params.project);
      checkAccess(principal, { kind: 'change-context' });
      const { text, basedOn, actor } = request.body;
      return log.putContext(request.params.name, text, actorOf(principal, actor), basedOn);
    },
  );
}
