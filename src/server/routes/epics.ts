// Epics of the spec workflow: `sdd specify` takes the next feature number and its epic here, so
// every clone of the project draws from one sequence.

import { Type } from 'typebox';
import { ItemSchema, ProjectParams } from '../../api/schemas.js';
import { checkAccess } from '../../core/access.js';
import { type ApiApp, actorOf, errorResponses, principalOf, type RouteContext } from '../api-app.js';

const ReserveEpicBody = Type.Object(
  {
    input: Type.Object(
      {
        shortName: Type.String({ minLength: 1, maxLength: 60 }),
        title: Type.String({ maxLength: 1_000_000 }),
        description: Type.Optional(Type.String({ maxLength: 1_000_000 })),
        minNumber: Type.Optional(Type.Integer({ minimum: 1, maximum: 99_999 })),
      },
      { additionalProperties: false },
    ),
    actor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

const ReservedEpicSchema = Type.Object({ number: Type.Integer(), key: Type.String(), epic: ItemSchema });

export function epicRoutes(app: ApiApp, { projects }: RouteContext): void {
  app.post(
    '/projects/:project/epics',
    {
      schema: {
        tags: ['epics'],
        operationId: 'reserveEpic',
        params: ProjectParams,
        body: ReserveEpicBody,
        response: { 201: ReservedEpicSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const service = await projects.serviceFor(principal, request.params.project);
      checkAccess(principal, { kind: 'create-item', type: 'epic' });
      const reserved = await service.reserveEpic(request.body.input, actorOf(principal, request.body.actor));
      return reply.code(201).send(reserved);
    },
  );
}
