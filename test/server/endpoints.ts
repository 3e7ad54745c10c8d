// Every endpoint of the team server's API once, with a request each would accept: the auth,
// bad-input and OpenAPI tests walk this one list, so an endpoint added without a row is noticed
// (the OpenAPI test compares the list with what the server serves).

import type { TaskListDocument } from '../../src/core/task-list.js';
import { sessionRecord } from '../contract/session-store-contract.js';
import { phase, task } from '../contract/task-list-builder.js';

/** The items a test project holds: an epic, a feature in it, and two tasks in the feature. */
export interface Seed {
  project: string;
  epic: string;
  feature: string;
  task: string;
  /** A second task, for the requests that need two (a dependency). */
  other: string;
  /** A recorded session, with a terminal.cast of a few bytes. */
  session: string;
}

/** What an access rule sees in a request (src/core/access.ts). */
export type AccessKind =
  | 'read'
  | 'create-project'
  | 'change-task'
  | 'change-container'
  | 'change-tree'
  /** Push: a tree change that only an empty project takes. */
  | 'push'
  /** Putting a session's record, appending to its files. */
  | 'record-session'
  /** Saving a version of a team context document. */
  | 'change-context'
  /** Recording a decision, about any item (an agent may decide about an epic). */
  | 'record-decision';

export interface Endpoint {
  operationId: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  /** As in the OpenAPI description: /projects/{project}/items/{ref}, under /api/v1. */
  route: string;
  access: AccessKind;
  /** The item the request is about, when the route has {ref}. */
  ref?: (seed: Seed) => string;
  /** A body the endpoint accepts. */
  body?: (seed: Seed) => Record<string, unknown>;
  /** A required field of the body and a value of the wrong type for it (path into the body). */
  required?: string[];
  wrongType?: { path: string[]; value: unknown };
  /** A query string field and a bad value for it. */
  badQuery?: { field: string; value: string };
  /** Takes bodies over the default 1 MiB, up to this many bytes. */
  bodyLimit?: number;
  /** The file of a route with {name} (a fresh one per call for appends at offset 0). */
  name?: () => string;
  /** A query string the request needs, without its "?". */
  query?: string;
  /** A raw body the endpoint takes as application/octet-stream. */
  bytes?: () => Buffer;
  /** Answers with the bytes of a file (application/octet-stream), not JSON. */
  answersBytes?: boolean;
  /** Status when the request is allowed. */
  ok: number;
}

const MiB = 1024 * 1024;

export function importDocument(epicKey = '009-auth-tests'): TaskListDocument {
  return {
    epicKey,
    epicTitle: 'Auth tests',
    file: `specs/${epicKey}/tasks.md`,
    looseTasks: [],
    phases: [phase('setup', 'setup', 'Setup', [task('T001', 'One'), task('T002', 'Two')])],
  };
}

/** A tracker as `sdd push` sends it: one task. */
export function pushBody(): Record<string, unknown> {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    nextId: 2,
    items: [
      {
        id: 'sd-1',
        type: 'task',
        title: 'Pushed',
        description: '',
        status: 'open',
        priority: 2,
        labels: [],
        parent: null,
        order: null,
        mvp: false,
        source: null,
        claim: null,
        notes: [],
        createdAt: at,
        updatedAt: at,
        closedAt: null,
      },
    ],
    dependencies: [],
  };
}

export const ENDPOINTS: Endpoint[] = [
  { operationId: 'whoami', method: 'GET', route: '/whoami', access: 'read', ok: 200 },
  { operationId: 'listProjects', method: 'GET', route: '/projects', access: 'read', ok: 200 },
  {
    operationId: 'createProject',
    method: 'POST',
    route: '/projects',
    access: 'create-project',
    body: () => ({ id: `p-${Math.random().toString(36).slice(2, 10)}`, name: 'New', idPrefix: 'np' }),
    required: ['id', 'name', 'idPrefix'],
    wrongType: { path: ['name'], value: 42 },
    ok: 201,
  },
  { operationId: 'getProject', method: 'GET', route: '/projects/{project}', access: 'read', ok: 200 },
  {
    operationId: 'pushProject',
    method: 'POST',
    route: '/projects/{project}/push',
    access: 'push',
    body: pushBody,
    required: ['nextId', 'items', 'dependencies'],
    wrongType: { path: ['nextId'], value: '2' },
    bodyLimit: 64 * MiB,
    ok: 200,
  },
  {
    operationId: 'createItem',
    method: 'POST',
    route: '/projects/{project}/items',
    access: 'change-task',
    body: () => ({ input: { title: 'A task' }, actor: 'someone' }),
    required: ['input'],
    wrongType: { path: ['input', 'priority'], value: '3' },
    ok: 201,
  },
  {
    operationId: 'listItems',
    method: 'GET',
    route: '/projects/{project}/items',
    access: 'read',
    badQuery: { field: 'type', value: 'story' },
    ok: 200,
  },
  {
    operationId: 'getItem',
    method: 'GET',
    route: '/projects/{project}/items/{ref}',
    access: 'read',
    ref: (s) => s.task,
    ok: 200,
  },
  {
    operationId: 'updateItem',
    method: 'PATCH',
    route: '/projects/{project}/items/{ref}',
    access: 'change-task',
    ref: (s) => s.task,
    body: () => ({ change: { title: 'Renamed' }, actor: 'someone' }),
    required: ['change'],
    wrongType: { path: ['change', 'addLabels'], value: 'urgent' },
    ok: 200,
  },
  {
    operationId: 'addNote',
    method: 'POST',
    route: '/projects/{project}/items/{ref}/notes',
    access: 'change-task',
    ref: (s) => s.task,
    body: () => ({ text: 'A note', actor: 'someone' }),
    required: ['text'],
    wrongType: { path: ['text'], value: ['A note'] },
    ok: 200,
  },
  {
    operationId: 'recordDecision',
    method: 'POST',
    route: '/projects/{project}/decisions',
    access: 'record-decision',
    body: (s) => ({ input: { item: s.epic, question: 'Which store?', choice: 'lowdb' }, actor: 'someone' }),
    required: ['input'],
    wrongType: { path: ['input', 'question'], value: ['Which store?'] },
    ok: 200,
  },
  {
    operationId: 'reserveEpic',
    method: 'POST',
    route: '/projects/{project}/epics',
    access: 'change-container',
    body: () => ({
      input: { shortName: 'photo-albums', title: 'Photo albums', minNumber: 3 },
      actor: 'someone',
    }),
    required: ['input'],
    wrongType: { path: ['input', 'minNumber'], value: '3' },
    ok: 201,
  },
  {
    operationId: 'listDecisions',
    method: 'GET',
    route: '/projects/{project}/decisions',
    access: 'read',
    badQuery: { field: 'limit', value: '0' },
    ok: 200,
  },
  {
    operationId: 'tree',
    method: 'GET',
    route: '/projects/{project}/tree',
    access: 'read',
    badQuery: { field: 'root', value: '' },
    ok: 200,
  },
  {
    operationId: 'addDependency',
    method: 'POST',
    route: '/projects/{project}/dependencies',
    access: 'change-tree',
    body: (s) => ({ from: s.other, to: s.task, type: 'blocks', actor: 'someone' }),
    required: ['from', 'to', 'type'],
    wrongType: { path: ['type'], value: 'depends-on' },
    ok: 200,
  },
  {
    operationId: 'removeDependency',
    method: 'POST',
    route: '/projects/{project}/dependencies/remove',
    access: 'change-tree',
    body: (s) => ({ from: s.task, to: s.feature }),
    required: ['from', 'to'],
    wrongType: { path: ['from'], value: 7 },
    ok: 200,
  },
  {
    operationId: 'listDependencies',
    method: 'GET',
    route: '/projects/{project}/items/{ref}/dependencies',
    access: 'read',
    ref: (s) => s.task,
    ok: 200,
  },
  {
    operationId: 'importTaskList',
    method: 'POST',
    route: '/projects/{project}/import',
    access: 'change-tree',
    body: () => ({ document: { ...importDocument() }, actor: 'someone' }),
    required: ['document'],
    wrongType: { path: ['document', 'phases'], value: {} },
    bodyLimit: 32 * MiB,
    ok: 200,
  },
  {
    operationId: 'ready',
    method: 'GET',
    route: '/projects/{project}/ready',
    access: 'read',
    badQuery: { field: 'limit', value: 'ten' },
    ok: 200,
  },
  {
    operationId: 'blocked',
    method: 'GET',
    route: '/projects/{project}/blocked',
    access: 'read',
    badQuery: { field: 'limit', value: '0' },
    ok: 200,
  },
  {
    operationId: 'claim',
    method: 'POST',
    route: '/projects/{project}/items/{ref}/claim',
    access: 'change-task',
    ref: (s) => s.task,
    body: () => ({ actor: 'someone', ttlSeconds: 600 }),
    wrongType: { path: ['ttlSeconds'], value: '600' },
    ok: 200,
  },
  {
    operationId: 'claimNext',
    method: 'POST',
    route: '/projects/{project}/claim-next',
    access: 'change-task',
    body: () => ({ actor: 'someone', query: { limit: 5 } }),
    wrongType: { path: ['query', 'limit'], value: '5' },
    ok: 200,
  },
  {
    operationId: 'release',
    method: 'POST',
    route: '/projects/{project}/items/{ref}/release',
    access: 'change-task',
    ref: (s) => s.task,
    body: () => ({ actor: 'someone' }),
    wrongType: { path: ['force'], value: 'yes' },
    ok: 200,
  },
  {
    operationId: 'done',
    method: 'POST',
    route: '/projects/{project}/items/{ref}/done',
    access: 'change-task',
    ref: (s) => s.task,
    body: () => ({ actor: 'someone' }),
    wrongType: { path: ['actor'], value: { name: 'x' } },
    ok: 200,
  },
  {
    operationId: 'listLiveSessions',
    method: 'GET',
    route: '/projects/{project}/live',
    access: 'read',
    ok: 200,
  },
  {
    operationId: 'listSessions',
    method: 'GET',
    route: '/projects/{project}/sessions',
    access: 'read',
    badQuery: { field: 'status', value: 'done' },
    ok: 200,
  },
  {
    operationId: 'searchSessions',
    method: 'GET',
    route: '/projects/{project}/sessions/search',
    access: 'read',
    query: 'q=hello',
    ok: 200,
  },
  {
    operationId: 'getSession',
    method: 'GET',
    route: '/projects/{project}/sessions/{session}',
    access: 'read',
    ok: 200,
  },
  {
    operationId: 'putSession',
    method: 'PUT',
    route: '/projects/{project}/sessions/{session}',
    access: 'record-session',
    body: (s) => sessionRecord({ id: s.session, itemId: s.task }) as unknown as Record<string, unknown>,
    required: ['id', 'status'],
    wrongType: { path: ['pid'], value: '1234' },
    ok: 200,
  },
  {
    operationId: 'listSessionFiles',
    method: 'GET',
    route: '/projects/{project}/sessions/{session}/files',
    access: 'read',
    ok: 200,
  },
  {
    operationId: 'readSessionFile',
    method: 'GET',
    route: '/projects/{project}/sessions/{session}/files/{name}',
    access: 'read',
    answersBytes: true,
    badQuery: { field: 'offset', value: '-1' },
    ok: 200,
  },
  {
    operationId: 'appendSessionFile',
    method: 'POST',
    route: '/projects/{project}/sessions/{session}/files/{name}',
    access: 'record-session',
    // A new file each time: the offset 0 is then always the one the server holds.
    name: () => `transcript/t-${Math.random().toString(36).slice(2, 10)}.jsonl`,
    query: 'offset=0',
    bytes: () => Buffer.from('{"role":"user"}\n'),
    ok: 200,
  },
  {
    operationId: 'listContext',
    method: 'GET',
    route: '/projects/{project}/context',
    access: 'read',
    ok: 200,
  },
  {
    operationId: 'getContext',
    method: 'GET',
    route: '/projects/{project}/context/{name}',
    access: 'read',
    name: () => 'product',
    badQuery: { field: 'version', value: '0' },
    ok: 200,
  },
  {
    operationId: 'contextHistory',
    method: 'GET',
    route: '/projects/{project}/context/{name}/versions',
    access: 'read',
    name: () => 'product',
    ok: 200,
  },
  {
    operationId: 'putContext',
    method: 'PUT',
    route: '/projects/{project}/context/{name}',
    access: 'change-context',
    // A new document each time: basedOn 0 is then always right.
    name: () => `doc-${Math.random().toString(36).slice(2, 10)}`,
    body: () => ({ text: '# Notes\n', basedOn: 0, actor: 'someone' }),
    required: ['text', 'basedOn'],
    wrongType: { path: ['basedOn'], value: '0' },
    ok: 200,
  },
];

/** The path of `endpoint` for `seed`, under /api/v1, its parts escaped (or given raw). */
export function pathOf(
  endpoint: Endpoint,
  seed: Seed,
  raw: { project?: string; ref?: string; session?: string; name?: string } = {},
): string {
  const project = raw.project ?? encodeURIComponent(seed.project);
  const ref = raw.ref ?? encodeURIComponent(endpoint.ref?.(seed) ?? '');
  const session = raw.session ?? encodeURIComponent(seed.session);
  const name = raw.name ?? encodeURIComponent(endpoint.name?.() ?? 'terminal.cast');
  const path = endpoint.route
    .replace('{project}', project)
    .replace('{ref}', ref)
    .replace('{session}', session)
    .replace('{name}', name);
  return `/api/v1${path}${endpoint.query ? `?${endpoint.query}` : ''}`;
}

/** The body of a request `endpoint` accepts, with its content type: JSON, or raw bytes. */
export function requestBody(endpoint: Endpoint, seed: Seed): { body?: unknown; contentType?: string } {
  if (endpoint.bytes) return { body: endpoint.bytes(), contentType: 'application/octet-stream' };
  return endpoint.body ? { body: endpoint.body(seed) } : {};
}

export const projectEndpoints = ENDPOINTS.filter((e) => e.route.includes('{project}'));
export const refEndpoints = ENDPOINTS.filter((e) => e.route.includes('{ref}'));
export const bodyEndpoints = ENDPOINTS.filter((e) => e.body);
