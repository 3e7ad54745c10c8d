// Decisions of one project: record one (people and agent sessions alike), list them by epic, item,
// session or words.

import { Type } from 'typebox';
import { DecisionBody, DecisionQuery, DecisionSchema, ProjectParams } from '../../api/schemas.js';
import { checkAccess } from '../../core/access.js';
import type { DecisionFilter, DecisionInput } from '../../core/decisions.js';
import {
  type ApiApp,
  actorOf,
  errorResponses,
  principalOf,
  type RouteContext,
  withLimit,
} from '../api-app.js';

const tags = ['decisions'];

export function decisionRoutes(app: ApiApp, { projects }: RouteContext): void {
  app.post(
    '/projects/:project/decisions',
    {
      schema: {
        tags,
        operationId: 'recordDecision',
        params: ProjectParams,
        body: DecisionBody,
        response: { 200: DecisionSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const service = await projects.serviceFor(principal, request.params.project);
      checkAccess(principal, { kind: 'record-decision' });
      const input = request.body.input as DecisionInput;
      return service.recordDecision(input, actorOf(principal, request.body.actor));
    },
  );

  app.get(
    '/projects/:project/decisions',
    {
      schema: {
        tags,
        operationId: 'listDecisions',
        params: ProjectParams,
        querystring: DecisionQuery,
        response: { 200: Type.Array(DecisionSchema), ...errorResponses },
      },
    },
    async (request) => {
      const service = await projects.serviceFor(principalOf(request), request.params.project);
      return service.listDecisions(withLimit(request.query) as DecisionFilter);
    },
  );
}
