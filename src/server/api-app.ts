// The types the routes share: a Fastify instance that knows the typebox schemas, and what each
// route needs from the server (the team store, the projects' Services).

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { ErrorSchema } from '../api/schemas.js';
import { checkAccess, type Principal } from '../core/access.js';
import type { Service } from '../core/service.js';
import type { TeamStore } from '../core/team-store.js';
import { InternalError } from './internal-error.js';
import type { ProjectServices } from './project-services.js';

export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface RouteContext {
  team: TeamStore;
  projects: ProjectServices;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The token's holder; the auth hook has run before any route. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new InternalError('a route ran without the auth hook');
  return request.principal;
}

/**
 * Who the change is recorded for: people on admin and member tokens act under the name their
 * client sends (`--as`, git's user.name); agent and viewer tokens always act as their own user.
 */
export function actorOf(principal: Principal, requested: string | undefined): string {
  if (principal.role === 'admin' || principal.role === 'member') return requested ?? principal.user;
  return principal.user;
}

/** For roles limited to some item types, looks the item up first; admins and members need no look. */
export async function checkItemChange(service: Service, principal: Principal, ref: string): Promise<void> {
  if (principal.role === 'admin' || principal.role === 'member') return;
  const { item } = await service.getItem(ref);
  checkAccess(principal, { kind: 'change-item', type: item.type });
}

/** The error responses every route may give, for the OpenAPI description. */
export const errorResponses = { '4xx': ErrorSchema, '5xx': ErrorSchema } as const;

/** A query whose `limit` came as digits (see QueryLimit in schemas.ts), with the number in its place. */
export function withLimit<Q extends { limit?: string }>(query: Q): Omit<Q, 'limit'> & { limit?: number } {
  const { limit, ...rest } = query;
  return limit === undefined ? rest : { ...rest, limit: Number(limit) };
}
