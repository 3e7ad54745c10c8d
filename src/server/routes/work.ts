// Ready and blocked work, claims, release and done: what people and agents do all day.

import { Type } from 'typebox';
import {
  BlockedEntrySchema,
  ClaimBody,
  ClaimNextBody,
  ClaimResultSchema,
  CloseBody,
  CloseResultSchema,
  ItemParams,
  ProjectParams,
  ReadyEntrySchema,
  ReleaseResultSchema,
  WorkQueryString,
} from '../../api/schemas.js';
import { checkAccess } from '../../core/access.js';
import type { ClaimOptions, WorkQuery } from '../../core/service.js';
import {
  type ApiApp,
  actorOf,
  checkItemChange,
  errorResponses,
  principalOf,
  type RouteContext,
  withLimit,
} from '../api-app.js';
import { sharedJson } from '../json-cache.js';

const tags = ['work'];

function claimOptions(body: { ttlSeconds?: number; force?: boolean }): ClaimOptions {
  return {
    ...(body.ttlSeconds !== undefined && { ttlSeconds: body.ttlSeconds }),
    ...(body.force !== undefined && { force: body.force }),
  };
}

export function workRoutes(app: ApiApp, { projects }: RouteContext): void {
  app.get(
    '/projects/:project/ready',
    {
      schema: {
        tags,
        operationId: 'ready',
        params: ProjectParams,
        querystring: WorkQueryString,
        response: { 200: Type.Array(ReadyEntrySchema), ...errorResponses },
      },
    },
    async (request, reply) => {
      const service = await projects.serviceFor(principalOf(request), request.params.project);
      // The same answer for every client until the tracker changes (see ready-cache.ts): sent as text.
      const entries = await service.ready(withLimit(request.query));
      // The bytes are what the response schema describes; the typed reply only knows objects.
      return reply.type('application/json; charset=utf-8').send(sharedJson(entries) as never);
    },
  );

  app.get(
    '/projects/:project/blocked',
    {
      schema: {
        tags,
        operationId: 'blocked',
        params: ProjectParams,
        querystring: WorkQueryString,
        response: { 200: Type.Array(BlockedEntrySchema), ...errorResponses },
      },
    },
    async (request) => {
      const service = await projects.serviceFor(principalOf(request), request.params.project);
      return service.blocked(withLimit(request.query));
    },
  );

  app.post(
    '/projects/:project/items/:ref/claim',
    {
      schema: {
        tags,
        operationId: 'claim',
        params: ItemParams,
        body: ClaimBody,
        response: { 200: ClaimResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const service = await projects.serviceFor(principal, request.params.project);
      await checkItemChange(service, principal, request.params.ref);
      const actor = actorOf(principal, request.body.actor);
      return service.claim(request.params.ref, actor, claimOptions(request.body));
    },
  );

  app.post(
    '/projects/:project/claim-next',
    {
      schema: {
        tags,
        operationId: 'claimNext',
        params: ProjectParams,
        body: ClaimNextBody,
        response: { 200: ClaimResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const service = await projects.serviceFor(principal, request.params.project);
      checkAccess(principal, { kind: 'change-item', type: 'task' }); // ready work is never a container
      const actor = actorOf(principal, request.body.actor);
      return service.claimNext(actor, (request.body.query ?? {}) as WorkQuery, claimOptions(request.body));
    },
  );

  app.post(
    '/projects/:project/items/:ref/release',
    {
      schema: {
        tags,
        operationId: 'release',
        params: ItemParams,
        body: CloseBody,
        response: { 200: ReleaseResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const service = await projects.serviceFor(principal, request.params.project);
      await checkItemChange(service, principal, request.params.ref);
      const actor = actorOf(principal, request.body.actor);
      return service.release(request.params.ref, actor, { force: request.body.force ?? false });
    },
  );

  app.post(
    '/projects/:project/items/:ref/done',
    {
      schema: {
        tags,
        operationId: 'done',
        params: ItemParams,
        body: CloseBody,
        response: { 200: CloseResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const service = await projects.serviceFor(principal, request.params.project);
      await checkItemChange(service, principal, request.params.ref);
      const actor = actorOf(principal, request.body.actor);
      return service.done(request.params.ref, actor, { force: request.body.force ?? false });
    },
  );
}
