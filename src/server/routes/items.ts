// Items of one project: create, list, show, change, notes, the tree.

import { Type } from 'typebox';
import {
  CloseResultSchema,
  CreateItemBody,
  ItemDetailsSchema,
  ItemParams,
  ItemSchema,
  ListQuery,
  NoteBody,
  ProjectParams,
  TreeNodeSchema,
  TreeQuery,
  UpdateItemBody,
} from '../../api/schemas.js';
import { checkAccess } from '../../core/access.js';
import type { CreateItemInput, ListFilter, UpdateItemInput } from '../../core/service.js';
import {
  type ApiApp,
  actorOf,
  checkItemChange,
  errorResponses,
  principalOf,
  type RouteContext,
  withLimit,
} from '../api-app.js';

const tags = ['items'];

export function itemRoutes(app: ApiApp, { projects }: RouteContext): void {
  app.post(
    '/projects/:project/items',
    {
      schema: {
        tags,
        operationId: 'createItem',
        params: ProjectParams,
        body: CreateItemBody,
        response: { 201: ItemSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const service = await projects.serviceFor(principal, request.params.project);
      const input = request.body.input as CreateItemInput;
      checkAccess(principal, { kind: 'create-item', type: input.type ?? 'task' });
      const item = await service.createItem(input, actorOf(principal, request.body.actor));
      return reply.code(201).send(item);
    },
  );

  app.get(
    '/projects/:project/items',
    {
      schema: {
        tags,
        operationId: 'listItems',
        params: ProjectParams,
        querystring: ListQuery,
        response: { 200: Type.Array(ItemSchema), ...errorResponses },
      },
    },
    async (request) => {
      const service = await projects.serviceFor(principalOf(request), request.params.project);
      return service.listItems(withLimit(request.query) as ListFilter);
    },
  );

  app.get(
    '/projects/:project/items/:ref',
    {
      schema: {
        tags,
        operationId: 'getItem',
        params: ItemParams,
        response: { 200: ItemDetailsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const service = await projects.serviceFor(principalOf(request), request.params.project);
      return service.getItem(request.params.ref);
    },
  );

  app.patch(
    '/projects/:project/items/:ref',
    {
      schema: {
        tags,
        operationId: 'updateItem',
        params: ItemParams,
        body: UpdateItemBody,
        response: { 200: CloseResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const service = await projects.serviceFor(principal, request.params.project);
      await checkItemChange(service, principal, request.params.ref);
      const change = request.body.change as UpdateItemInput;
      return service.updateItem(request.params.ref, change, actorOf(principal, request.body.actor));
    },
  );

  app.post(
    '/projects/:project/items/:ref/notes',
    {
      schema: {
        tags,
        operationId: 'addNote',
        params: ItemParams,
        body: NoteBody,
        response: { 200: ItemSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const service = await projects.serviceFor(principal, request.params.project);
      await checkItemChange(service, principal, request.params.ref);
      return service.addNote(request.params.ref, request.body.text, actorOf(principal, request.body.actor));
    },
  );

  app.get(
    '/projects/:project/tree',
    {
      schema: {
        tags,
        operationId: 'tree',
        params: ProjectParams,
        querystring: TreeQuery,
        response: { 200: Type.Array(TreeNodeSchema), ...errorResponses },
      },
    },
    async (request) => {
      const service = await projects.serviceFor(principalOf(request), request.params.project);
      return service.tree(request.query.root);
    },
  );
}
