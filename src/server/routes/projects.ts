// Who am I, which projects are there, create one, and push an embedded project's tracker onto one.

import { Type } from 'typebox';
import {
  CreateProjectBody,
  PrincipalSchema,
  ProjectParams,
  ProjectSchema,
  PushBody,
  PushResultSchema,
} from '../../api/schemas.js';
import { checkAccess, checkProjectAccess } from '../../core/access.js';
import type { Decision } from '../../core/decisions.js';
import { AlreadyExistsError, InvalidInputError, NotFoundError } from '../../core/errors.js';
import type { Dependency, Item } from '../../core/types.js';
import { type ApiApp, errorResponses, principalOf, type RouteContext } from '../api-app.js';

/** An embedded tracker of tens of thousands of items: larger than any other request. */
export const PUSH_BODY_LIMIT = 64 * 1024 * 1024;

export function projectRoutes(app: ApiApp, { team }: RouteContext): void {
  app.get(
    '/whoami',
    {
      schema: {
        tags: ['projects'],
        operationId: 'whoami',
        response: { 200: PrincipalSchema, ...errorResponses },
      },
    },
    async (request) => principalOf(request),
  );

  app.get(
    '/projects',
    {
      schema: {
        tags: ['projects'],
        operationId: 'listProjects',
        response: { 200: Type.Array(ProjectSchema), ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const all = await team.listProjects();
      return principal.project === null ? all : all.filter((p) => p.id === principal.project);
    },
  );

  app.post(
    '/projects',
    {
      schema: {
        tags: ['projects'],
        operationId: 'createProject',
        body: CreateProjectBody,
        response: { 201: ProjectSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      checkAccess(principal, { kind: 'create-project' });
      const project = await team.createProject({
        ...request.body,
        createdAt: new Date().toISOString(),
        createdBy: principal.user,
      });
      return reply.code(201).send(project);
    },
  );

  app.get(
    '/projects/:project',
    {
      schema: {
        tags: ['projects'],
        operationId: 'getProject',
        params: ProjectParams,
        response: { 200: ProjectSchema, ...errorResponses },
      },
    },
    async (request) => {
      checkProjectAccess(principalOf(request), request.params.project);
      const project = await team.getProject(request.params.project);
      if (!project) throw new NotFoundError(`No project "${request.params.project}" on this server.`);
      return project;
    },
  );

  app.post(
    '/projects/:project/push',
    {
      bodyLimit: PUSH_BODY_LIMIT,
      schema: {
        tags: ['projects'],
        operationId: 'pushProject',
        params: ProjectParams,
        body: PushBody,
        response: { 200: PushResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { project } = request.params;
      checkProjectAccess(principal, project);
      if (!(await team.getProject(project)))
        throw new NotFoundError(`No project "${project}" on this server.`);
      checkAccess(principal, { kind: 'change-tree' });
      const items = request.body.items as Item[];
      const dependencies = request.body.dependencies as Dependency[];
      const decisions = (request.body.decisions ?? []) as Decision[];
      checkPushed(items, dependencies);
      checkPushedDecisions(items, decisions);
      return team.trackerStore(project).update((data) => {
        if (data.items.length > 0) {
          throw new AlreadyExistsError(
            `Project "${project}" on the server has ${data.items.length} item(s) already; push only moves a project onto an empty one.`,
            { items: data.items.length },
          );
        }
        data.items = items;
        data.dependencies = dependencies;
        if (decisions.length > 0) data.decisions = decisions;
        data.nextId = Math.max(data.nextId, request.body.nextId);
        return { items: items.length, dependencies: dependencies.length };
      });
    },
  );
}

/** A pushed tracker must be whole: unique ids, edges and parents that point at its own items. */
function checkPushed(items: Item[], dependencies: Dependency[]): void {
  const ids = new Set<string>();
  for (const item of items) {
    if (ids.has(item.id)) throw new InvalidInputError(`The pushed items hold "${item.id}" twice.`);
    ids.add(item.id);
  }
  const unknown = [
    ...items.filter((i) => i.parent !== null && !ids.has(i.parent)).map((i) => i.parent),
    ...dependencies.flatMap((d) => [d.from, d.to]).filter((id) => !ids.has(id)),
  ];
  if (unknown.length > 0) {
    throw new InvalidInputError(
      `The pushed tracker refers to items it does not hold: ${[...new Set(unknown)].slice(0, 5).join(', ')}.`,
    );
  }
}

/** Pushed decisions are about pushed items, numbered as the log numbers them. */
function checkPushedDecisions(items: Item[], decisions: Decision[]): void {
  const ids = new Set(items.map((item) => item.id));
  decisions.forEach((decision, index) => {
    if (!ids.has(decision.itemId)) {
      throw new InvalidInputError(
        `Pushed decision ${decision.id} is about "${decision.itemId}", which the push does not hold.`,
      );
    }
    if (decision.id !== `D${index + 1}`) {
      throw new InvalidInputError(
        `Pushed decision number ${index + 1} is "${decision.id}"; the log numbers them D1, D2, ...`,
      );
    }
  });
}
