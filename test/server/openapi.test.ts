// The OpenAPI description at /api/v1/openapi.json: served without a token, a well-formed OpenAPI
// 3.1 document, listing exactly the routes the app serves, each with an operationId and schemas
// that are valid JSON Schema 2020-12 (OpenAPI 3.1's dialect), which real requests and answers match.

// ajv comes with Fastify (its validator); a JSON Schema 2020-12 checker independent of TypeBox's.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { ENDPOINTS, pathOf, requestBody, type Seed } from './endpoints.js';
import { rawRequest } from './raw-http.js';
import { type ServerFixture, startServerFixture } from './server-fixture.js';

type Json = Record<string, unknown>;
interface Operation {
  operationId?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Json }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Json }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Json }> }>;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Json>; securitySchemes?: Record<string, Json> };
  security?: Record<string, string[]>[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

let fixture: ServerFixture;
let doc: Document;
let operations: { path: string; method: string; operation: Operation }[];
let ajv: Ajv2020;

beforeAll(async () => {
  fixture = await startServerFixture();
  const response = await rawRequest(fixture.server.url, { path: '/api/v1/openapi.json' });
  expect(response.status).toBe(200);
  doc = response.json as Document;
  operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ path, method, operation })),
  );
  // Components are referred to as #/components/schemas/X: serve them to ajv under one id.
  ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allErrors: true });
  ajv.addSchema({ $id: 'components.json', $defs: relocated(doc.components?.schemas ?? {}) });
});
afterAll(() => fixture.close());

/** `schema` with its #/components/schemas/X references pointed at components.json#/$defs/X. */
function relocated<T>(schema: T): T {
  return JSON.parse(
    JSON.stringify(schema).replaceAll('"#/components/schemas/', '"components.json#/$defs/'),
  ) as T;
}

function operationOf(method: string, route: string): Operation {
  const operation = doc.paths[`/api/v1${route}`]?.[method.toLowerCase()];
  if (!operation) throw new Error(`no ${method} /api/v1${route} in the OpenAPI description`);
  return operation;
}

/** The documented schema of the answer with `status` (its own, or 4XX/5XX). */
function responseSchema(operation: Operation, status: number): Json {
  const response = operation.responses?.[String(status)] ?? operation.responses?.[`${String(status)[0]}XX`];
  const schema = response?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`no schema for a ${status} answer of ${operation.operationId}`);
  return schema;
}

describe('the document', () => {
  it('is served without a token, as JSON', async () => {
    const response = await rawRequest(fixture.server.url, { path: '/api/v1/openapi.json' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
  });

  it('is OpenAPI 3.1 with a title and a version', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(typeof doc.info.title).toBe('string');
    expect(typeof doc.info.version).toBe('string');
  });

  it('asks for the bearer token it declares', () => {
    expect(doc.components?.securitySchemes?.token).toEqual({ type: 'http', scheme: 'bearer' });
    for (const requirement of doc.security ?? []) {
      for (const name of Object.keys(requirement))
        expect(doc.components?.securitySchemes).toHaveProperty(name);
    }
    expect(doc.security).toEqual([{ token: [] }]);
  });

  it('gives every operation a unique operationId and a tag', () => {
    const ids = operations.map((o) => o.operation.operationId);
    for (const { path, method, operation } of operations) {
      expect(operation.operationId, `${method} ${path}`).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
      expect(operation.tags?.length, `${method} ${path}`).toBeGreaterThan(0);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('declares every path parameter of each path, required, and no other', () => {
    for (const { path, method, operation } of operations) {
      const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path');
      expect(declared.map((p) => p.name).sort(), `${method} ${path}`).toEqual([...inTemplate].sort());
      for (const parameter of operation.parameters ?? []) {
        expect(['path', 'query', 'header', 'cookie']).toContain(parameter.in);
        expect(parameter.schema, `${method} ${path} ${parameter.name}`).toBeDefined();
        if (parameter.in === 'path') expect(parameter.required).toBe(true);
      }
      const keys = (operation.parameters ?? []).map((p) => `${p.in}:${p.name}`);
      expect(new Set(keys).size, `${method} ${path}`).toBe(keys.length);
    }
  });

  it('gives every operation its answers, with a description and a JSON schema each', () => {
    for (const { path, method, operation } of operations) {
      const codes = Object.keys(operation.responses ?? {});
      expect(
        codes.some((c) => /^2\d\d$/.test(c)),
        `${method} ${path}`,
      ).toBe(true);
      expect(codes).toEqual(expect.arrayContaining(['4XX', '5XX']));
      for (const [code, response] of Object.entries(operation.responses ?? {})) {
        expect(code).toMatch(/^([1-5]XX|[1-5]\d\d|default)$/);
        expect(typeof response.description).toBe('string');
        // A file's bytes are answered raw; everything else, errors included, is JSON.
        const media =
          code === '200' && operation.operationId === 'readSessionFile'
            ? 'application/octet-stream'
            : 'application/json';
        expect(response.content?.[media]?.schema, `${method} ${path} ${code}`).toBeDefined();
      }
    }
  });

  it('gives every operation that takes a body a required JSON request body with its schema', () => {
    for (const endpoint of ENDPOINTS.filter((e) => e.body)) {
      const operation = operationOf(endpoint.method, endpoint.route);
      expect(operation.requestBody?.required, endpoint.operationId).toBe(true);
      expect(Object.keys(operation.requestBody?.content ?? {})).toEqual(['application/json']);
      expect(operation.requestBody?.content?.['application/json']?.schema).toBeDefined();
    }
  });

  it('has only references that resolve inside it', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components?.schemas).toHaveProperty(ref.slice('#/components/schemas/'.length));
    }
  });

  it('has only schemas that are valid JSON Schema 2020-12', () => {
    const schemas = operations.flatMap(({ operation }) => [
      ...(operation.parameters ?? []).map((p) => p.schema),
      ...Object.values(operation.requestBody?.content ?? {}).map((c) => c.schema),
      ...Object.values(operation.responses ?? {}).flatMap((r) =>
        Object.values(r.content ?? {}).map((c) => c.schema),
      ),
    ]);
    for (const schema of schemas) {
      expect(() => ajv.compile(relocated(schema!))).not.toThrow();
    }
  });
});

describe('the routes', () => {
  it('lists exactly the routes the app serves (HEAD aside, which Fastify adds to every GET)', async () => {
    const app = await buildApp({ team: fixture.server.team });
    await app.ready();
    try {
      const methods = [...app.printRoutes({ commonPrefix: false }).matchAll(/\(([A-Z, ]+)\)/g)]
        .flatMap((m) => m[1]!.split(', '))
        .filter((m) => m !== 'HEAD');
      // The description itself and GitHub's webhook (signed by GitHub, not token-checked: see
      // test/github/github-server.test.ts) are the routes it does not list.
      expect(methods.length - 2).toBe(operations.length);
      expect(app.hasRoute({ method: 'POST', url: '/api/v1/github/webhook' })).toBe(true);
      expect(app.hasRoute({ method: 'GET', url: '/api/v1/openapi.json' })).toBe(true);
      for (const { path, method } of operations) {
        const url = path.replace(/\{([^}]+)\}/g, ':$1');
        expect(app.hasRoute({ method: method.toUpperCase(), url }), `${method} ${path}`).toBe(true);
      }
    } finally {
      await app.close();
    }
  });

  it('has a row in the tests for every operation it documents', () => {
    const documented = operations.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort();
    const tested = ENDPOINTS.map((e) => `${e.method} /api/v1${e.route}`).sort();
    expect(tested).toEqual(documented);
    for (const endpoint of ENDPOINTS) {
      expect(operationOf(endpoint.method, endpoint.route).operationId).toBe(endpoint.operationId);
    }
  });
});

describe('real traffic matches the schemas', () => {
  let seed: Seed;
  beforeAll(async () => {
    seed = await fixture.seed();
  });

  it.each(ENDPOINTS.map((e) => [e.operationId, e] as const))(
    '%s: the request the tests send and the answer it gets',
    async (_name, endpoint) => {
      const operation = operationOf(endpoint.method, endpoint.route);
      let project = seed;
      if (endpoint.access === 'push') project = { ...seed, project: await fixture.server.createProject() };
      const body = endpoint.body?.(project);
      if (body) {
        const validate = ajv.compile(relocated(operation.requestBody!.content!['application/json']!.schema!));
        expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
      }
      const response = await rawRequest(fixture.server.url, {
        method: endpoint.method,
        path: pathOf(endpoint, project),
        token: fixture.server.adminToken,
        ...requestBody(endpoint, project),
      });
      expect(response.status, response.text.slice(0, 300)).toBe(endpoint.ok);
      if (endpoint.answersBytes) {
        expect(response.headers['content-type']).toBe('application/octet-stream');
        return;
      }
      const validate = ajv.compile(relocated(responseSchema(operation, response.status)));
      expect(validate(response.json), JSON.stringify(validate.errors)).toBe(true);
    },
  );

  it('an error answer matches the documented error schema', async () => {
    const operation = operationOf('GET', '/projects/{project}/items/{ref}');
    const response = await rawRequest(fixture.server.url, {
      path: `/api/v1/projects/${seed.project}/items/sd-999`,
      token: fixture.server.adminToken,
    });
    expect(response.status).toBe(404);
    const validate = ajv.compile(relocated(responseSchema(operation, 404)));
    expect(validate(response.json), JSON.stringify(validate.errors)).toBe(true);
  });
});
