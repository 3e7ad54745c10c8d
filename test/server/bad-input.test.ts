// Bad input for every endpoint of the team server, sent raw: missing fields, wrong types, unknown
// fields, bodies that are not JSON or too large, unknown ids, path tricks and bad query strings.
// Each is refused with the API's one error shape and the status errors.ts gives its code.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodyEndpoints,
  ENDPOINTS,
  type Endpoint,
  pathOf,
  projectEndpoints,
  refEndpoints,
  requestBody,
  type Seed,
} from './endpoints.js';
import { expectError } from './expect-error.js';
import { rawRequest } from './raw-http.js';
import { type ServerFixture, startServerFixture } from './server-fixture.js';

let fixture: ServerFixture;
let seed: Seed;

beforeAll(async () => {
  fixture = await startServerFixture();
  seed = await fixture.seed();
});
afterAll(() => fixture.close());

function send(endpoint: Endpoint, extra: Partial<Parameters<typeof rawRequest>[1]> = {}) {
  return rawRequest(fixture.server.url, {
    method: endpoint.method,
    path: pathOf(endpoint, seed),
    token: fixture.server.adminToken,
    ...requestBody(endpoint, seed),
    ...extra,
  });
}

/** `body` with the value at `path` replaced (or removed when `value` is undefined). */
function withValue(body: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  let at = copy;
  for (const key of path.slice(0, -1)) {
    at[key] ??= {};
    at = at[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}

describe.each(bodyEndpoints.map((e) => [e.operationId, e] as const))('body of %s', (_name, endpoint) => {
  const body = () => endpoint.body!(seed);

  it.each(endpoint.required ?? [])('refuses a body without "%s", naming the field', async (field) => {
    const response = await send(endpoint, { body: withValue(body(), [field], undefined) });
    const error = expectError(response, 'INVALID_INPUT', `body.${field}: required`);
    expect(error.message).not.toMatch(/unknown field/);
  });

  it('refuses a value of the wrong type, naming the field, without converting it', async () => {
    const { path, value } = endpoint.wrongType!;
    const response = await send(endpoint, { body: withValue(body(), path, value) });
    expectError(response, 'INVALID_INPUT', `body.${path.join('.')}`);
  });

  it('refuses an unknown field at the top, naming it', async () => {
    const response = await send(endpoint, { body: { ...body(), colour: 'blue' } });
    expectError(response, 'INVALID_INPUT', 'body.colour: unknown field');
  });

  it('refuses a body that is not JSON', async () => {
    expectError(await send(endpoint, { body: '{"input": {' }), 'INVALID_INPUT', /not valid JSON/);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['no content type', null],
  ])('refuses a body sent as %s, asking for JSON', async (_label, contentType) => {
    const response = await send(endpoint, { body: JSON.stringify(body()), contentType });
    expectError(response, 'INVALID_INPUT', /Content-Type: application\/json/);
  });

  it('refuses an empty body', async () => {
    expectError(await send(endpoint, { body: '' }), 'INVALID_INPUT', /empty/);
  });

  it.each([
    ['an array', '[]'],
    ['null', 'null'],
    ['a string', '"hello"'],
    ['a number', '42'],
  ])('refuses %s as the body', async (_label, text) => {
    expectError(await send(endpoint, { body: text }), 'INVALID_INPUT', 'body: must be object');
  });

  it('refuses a body over its limit with 413', async () => {
    const limit = endpoint.bodyLimit ?? 1024 * 1024;
    const huge = JSON.stringify({ ...body(), padding: 'x'.repeat(limit) });
    expectError(await send(endpoint, { body: huge }), 'TOO_LARGE', /larger than this endpoint takes/);
  });
});

describe('bodies larger than the default limit', () => {
  const twoMiB = 'x'.repeat(2 * 1024 * 1024);

  it.each(bodyEndpoints.filter((e) => e.bodyLimit).map((e) => [e.operationId, e] as const))(
    '%s takes a body over 1 MiB (validated, not refused for its size)',
    async (_name, endpoint) => {
      const response = await send(endpoint, { body: { ...endpoint.body!(seed), padding: twoMiB } });
      expectError(response, 'INVALID_INPUT', 'body.padding: unknown field');
    },
  );

  it('a note of 2 MiB is refused for its size, with the limit in the message', async () => {
    const addNote = ENDPOINTS.find((e) => e.operationId === 'addNote')!;
    const response = await send(addNote, { body: { text: twoMiB } });
    expectError(response, 'TOO_LARGE', '(1 MiB)');
  });
});

describe('fields inside the body', () => {
  const createItem = ENDPOINTS.find((e) => e.operationId === 'createItem')!;

  it('names an unknown field inside a nested object', async () => {
    const response = await send(createItem, { body: { input: { title: 'x', colour: 'blue' } } });
    expectError(response, 'INVALID_INPUT', 'body.input.colour: unknown field');
  });

  it.each([
    ['a priority above the range', { title: 'x', priority: 9 }, 'body.input.priority'],
    ['a priority that is a fraction', { title: 'x', priority: 1.5 }, 'body.input.priority'],
    ['a type sdd does not have', { title: 'x', type: 'story' }, 'body.input.type'],
    ['labels given as one string', { title: 'x', labels: 'urgent' }, 'body.input.labels'],
    ['a title given as a number', { title: 42 }, 'body.input.title'],
    ['a parent given as null', { title: 'x', parent: null }, 'body.input.parent'],
  ])('refuses %s', async (_label, input, field) => {
    expectError(await send(createItem, { body: { input } }), 'INVALID_INPUT', field);
  });

  it('creates nothing when it refuses a body', async () => {
    const before = await fixture.server.service(seed.project).listItems();
    await send(createItem, { body: { input: { title: 'x', priority: '3' } } });
    expect(await fixture.server.service(seed.project).listItems()).toHaveLength(before.length);
  });

  it('takes a blank title to the core, which gives its own message', async () => {
    expectError(await send(createItem, { body: { input: { title: '   ' } } }), 'INVALID_INPUT', /title/i);
  });
});

describe('unknown ids', () => {
  it.each(projectEndpoints.map((e) => [e.operationId, e] as const))(
    '%s: a project that does not exist is 404',
    async (_name, endpoint) => {
      const response = await send(endpoint, { path: pathOf(endpoint, seed, { project: 'no-such-project' }) });
      expectError(response, 'NOT_FOUND', 'No project "no-such-project" on this server.');
    },
  );

  it.each(refEndpoints.map((e) => [e.operationId, e] as const))(
    '%s: an item that does not exist is 404',
    async (_name, endpoint) => {
      const response = await send(endpoint, { path: pathOf(endpoint, seed, { ref: 'sd-999' }) });
      expectError(response, 'NOT_FOUND', '"sd-999"');
    },
  );

  it('an unknown endpoint is 404 in the same shape', async () => {
    const response = await rawRequest(fixture.server.url, { path: '/api/v1/nothing-here' });
    expectError(response, 'NOT_FOUND', 'No such endpoint: GET /api/v1/nothing-here.');
  });

  it('a method the route does not serve is 404 in the same shape', async () => {
    const response = await rawRequest(fixture.server.url, {
      method: 'DELETE',
      path: `/api/v1/projects/${seed.project}/items/${seed.task}`,
      token: fixture.server.adminToken,
    });
    expectError(response, 'NOT_FOUND', 'No such endpoint: DELETE');
  });
});

describe('path tricks', () => {
  // None of these is a project id (letters, digits, ".", "_", "-", starting with a letter or digit).
  const badProjectIds = [
    ['..', '..'],
    ['an encoded ..', '%2E%2E'],
    ['an encoded slash', 'a%2Fb'],
    ['an encoded backslash', 'a%5Cb'],
    ['an encoded NUL', 'a%00b'],
    ['a leading dot', '.hidden'],
    ['a space', 'a%20b'],
    ['65 characters', 'p'.repeat(65)],
  ];

  it.each(
    projectEndpoints.flatMap((e) =>
      badProjectIds.map(([label, id]) => [e.operationId, label!, id!, e] as const),
    ),
  )('%s: a project id with %s is refused, naming the parameter', async (_name, _label, id, endpoint) => {
    const response = await send(endpoint, { path: pathOf(endpoint, seed, { project: id }) });
    expectError(response, 'INVALID_INPUT', 'params.project');
  });

  it('a project id with dots inside but no ".." is a name like any other: 404 when unknown', async () => {
    const response = await rawRequest(fixture.server.url, {
      path: '/api/v1/projects/a.b.json',
      token: fixture.server.adminToken,
    });
    expectError(response, 'NOT_FOUND', 'No project "a.b.json"');
  });

  it.each([
    ['..', '..'],
    ['an encoded ..', '%2E%2E'],
    ['an encoded slash', '..%2F..%2Fteam.json'],
    ['an encoded NUL', 'sd-1%00'],
  ])('an item ref with %s finds no item (404), and reads no file', async (_label, ref) => {
    const getItem = ENDPOINTS.find((e) => e.operationId === 'getItem')!;
    const response = await send(getItem, { path: pathOf(getItem, seed, { ref }) });
    expectError(response, 'NOT_FOUND', /^No item/);
  });

  it.each(refEndpoints.map((e) => [e.operationId, e] as const))(
    '%s: a ref of 301 characters is refused, naming the parameter',
    async (_name, endpoint) => {
      const response = await send(endpoint, { path: pathOf(endpoint, seed, { ref: 'r'.repeat(301) }) });
      expectError(response, 'INVALID_INPUT', 'params.ref');
    },
  );

  it.each(refEndpoints.map((e) => [e.operationId, e] as const))(
    '%s: a ref longer than the router takes is refused in the API shape',
    async (_name, endpoint) => {
      const response = await send(endpoint, { path: pathOf(endpoint, seed, { ref: 'r'.repeat(5000) }) });
      expectError(response, 'INVALID_INPUT', /too long/);
    },
  );

  it('a broken %-escape in the path is refused in the API shape', async () => {
    const getItem = ENDPOINTS.find((e) => e.operationId === 'getItem')!;
    const response = await send(getItem, { path: pathOf(getItem, seed, { ref: '%E0%A4%A' }) });
    expectError(response, 'INVALID_INPUT', /%-escape/);
  });
});

describe('project ids in a new project', () => {
  const createProject = ENDPOINTS.find((e) => e.operationId === 'createProject')!;

  it.each([
    ['a slash', 'a/b'],
    ['a parent folder', '../team'],
    ['a backslash', 'a\\b'],
    ['a NUL', 'a\u0000b'],
    ['a leading dot', '.team'],
    ['nothing', ''],
    ['65 characters', 'p'.repeat(65)],
  ])('refuses an id with %s, naming body.id', async (_label, id) => {
    const response = await send(createProject, { body: { id, name: 'x', idPrefix: 'xx' } });
    expectError(response, 'INVALID_INPUT', 'body.id');
  });

  it('refuses an id with ".." inside, and writes no file for it', async () => {
    const response = await send(createProject, { body: { id: 'a..b', name: 'x', idPrefix: 'xx' } });
    expectError(response, 'INVALID_INPUT', /project id/);
    const files = await readdir(join(fixture.dataDir, 'projects'));
    expect(files.filter((f) => f.includes('..'))).toEqual([]);
  });

  it('takes an id with single dots, and it names a file inside the data folder', async () => {
    const response = await send(createProject, { body: { id: 'team.notes', name: 'x', idPrefix: 'xx' } });
    expect(response.status, response.text).toBe(201);
    expect(await readdir(join(fixture.dataDir, 'projects'))).toContain('team.notes.json');
  });

  it('refuses a second project with the same id: 409 ALREADY_EXISTS', async () => {
    const body = { id: 'twice', name: 'x', idPrefix: 'xx' };
    expect((await send(createProject, { body })).status).toBe(201);
    expectError(await send(createProject, { body }), 'ALREADY_EXISTS', /exists/);
  });

  it('refuses an id prefix that is not lower-case letters and digits', async () => {
    const response = await send(createProject, { body: { id: 'prefix-test', name: 'x', idPrefix: 'X-1' } });
    expectError(response, 'INVALID_INPUT', 'body.idPrefix');
  });
});

describe('content types', () => {
  const createItem = ENDPOINTS.find((e) => e.operationId === 'createItem')!;

  it.each(['application/json; charset=utf-8', 'Application/JSON'])(
    'takes JSON sent as "%s"',
    async (contentType) => {
      const response = await send(createItem, {
        body: JSON.stringify({ input: { title: 'x' } }),
        contentType,
      });
      expect(response.status, response.text).toBe(201);
    },
  );
});

describe('query strings', () => {
  it.each(ENDPOINTS.filter((e) => e.badQuery).map((e) => [e.operationId, e] as const))(
    '%s: a bad value is refused, naming the field',
    async (_name, endpoint) => {
      const { field, value } = endpoint.badQuery!;
      const response = await send(endpoint, { path: `${pathOf(endpoint, seed)}?${field}=${value}` });
      expectError(response, 'INVALID_INPUT', `querystring.${field}`);
    },
  );

  it.each(ENDPOINTS.filter((e) => e.badQuery).map((e) => [e.operationId, e] as const))(
    '%s: an unknown field is refused, naming it',
    async (_name, endpoint) => {
      const response = await send(endpoint, { path: `${pathOf(endpoint, seed)}?colour=blue` });
      expectError(response, 'INVALID_INPUT', 'querystring.colour: unknown field');
    },
  );

  it.each([
    ['a limit given twice', 'limit=1&limit=2'],
    ['a negative limit', 'limit=-1'],
    ['a fractional limit', 'limit=1.5'],
    ['a limit in hexadecimal', 'limit=0x10'],
    ['an empty limit', 'limit='],
    ['a limit over the maximum', 'limit=100001'],
  ])('ready refuses %s', async (_label, query) => {
    const response = await rawRequest(fixture.server.url, {
      path: `/api/v1/projects/${seed.project}/ready?${query}`,
      token: fixture.server.adminToken,
    });
    expectError(response, 'INVALID_INPUT', 'querystring.limit');
  });

  it('ready takes a limit as a number from the query string', async () => {
    const response = await rawRequest(fixture.server.url, {
      path: `/api/v1/projects/${seed.project}/ready?limit=1`,
      token: fixture.server.adminToken,
    });
    expect(response.status).toBe(200);
    expect(response.json).toHaveLength(1);
  });

  it('a status sdd does not have is refused by list', async () => {
    const response = await rawRequest(fixture.server.url, {
      path: `/api/v1/projects/${seed.project}/items?status=closed`,
      token: fixture.server.adminToken,
    });
    expectError(response, 'INVALID_INPUT', 'querystring.status');
  });
});
