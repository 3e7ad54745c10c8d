// Changes to the tree's shape: dependencies and task-list imports (member and admin tokens; an agent
// token may link a task it discovered to the one it came from).

import { Type } from 'typebox';
import {
  DependencyBody,
  DependencyViewSchema,
  ImportBody,
  ImportResultSchema,
  ItemParams,
  ProjectParams,
  RemoveDependencyBody,
} from '../../api/schemas.js';
import { checkAccess } from '../../core/access.js';
import type { TaskListDocument } from '../../core/task-list.js';
import type { DependencyType } from '../../core/types.js';
import {
  type ApiApp,
  actorOf,
  checkItemChange,
  errorResponses,
  principalOf,
  type RouteContext,
} from '../api-app.js';

/** A task list of thousands of tasks is a few MB; everything else is small. */
export const IMPORT_BODY_LIMIT = 32 * 1024 * 1024;

export function treeChangeRoutes(app: ApiApp, { projects }: RouteContext): void {
  app.post(
    '/projects/:project/dependencies',
    {
      schema: {
        tags: ['dependencies'],
        operationId: 'addDependency',
        params: ProjectParams,
        body: DependencyBody,
        response: { 200: DependencyViewSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const service = await projects.serviceFor(principal, request.params.project);
      const { from, to, type, actor } = request.body;
      // An agent files the work it discovers (`sdd mcp`): a discovered-from link is a change to that task.
      if (type === 'discovered-from') await checkItemChange(service, principal, from);
      else checkAccess(principal, { kind: 'change-tree' });
      return service.addDependency(from, to, type as DependencyType, actorOf(principal, actor));
    },
  );

  app.post(
    '/projects/:project/dependencies/remove',
    {
      schema: {
        tags: ['dependencies'],
        operationId: 'removeDependency',
        params: ProjectParams,
        body: RemoveDependencyBody,
        response: { 200: Type.Array(DependencyViewSchema), ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const service = await projects.serviceFor(principal, request.params.project);
      checkAccess(principal, { kind: 'change-tree' });
      const { from, to, type } = request.body;
      return service.removeDependency(from, to, type as DependencyType | undefined);
    },
  );

  app.get(
    '/projects/:project/items/:ref/dependencies',
    {
      schema: {
        tags: ['dependencies'],
        operationId: 'listDependencies',
        params: ItemParams,
        response: { 200: Type.Array(DependencyViewSchema), ...errorResponses },
      },
    },
    async (request) => {
      const service = await projects.serviceFor(principalOf(request), request.params.project);
      return service.listDependencies(request.params.ref);
    },
  );

  app.post(
    '/projects/:project/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags: ['import'],
        operationId: 'importTaskList',
        params: ProjectParams,
        body: ImportBody,
        response: { 200: ImportResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const service = await projects.serviceFor(principal, request.params.project);
      checkAccess(principal, { kind: 'change-tree' });
      const document = request.body.document as TaskListDocument;
      return service.importTaskList(document, actorOf(principal, request.body.actor));
    },
  );
}
