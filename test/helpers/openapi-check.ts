// GitHub's published REST description (@octokit/openapi) as a request checker for the stand-in:
// finds the operation a method and path name, and validates its path parameters, query and JSON
// body with ajv, the way GitHub refuses a request (404 for no such route, 422 for a bad body).
// The 13 MB file is read once per process; an operation's validators are made on first use.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Json;
}
interface Operation {
  operationId: string;
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Json }> };
}
interface Description {
  paths: Record<string, Record<string, Operation>>;
  components: Json;
}

export interface MatchedOperation {
  operationId: string;
  template: string;
  params: Record<string, string | number>;
}

export type CheckResult =
  | { ok: true; operation: MatchedOperation; query: Record<string, unknown> }
  | { ok: false; status: 404 | 422 | 400; message: string };

interface CompiledOperation {
  operation: Operation;
  template: string;
  names: string[];
  pattern: RegExp;
  parameters?: Parameter[];
  body?: ValidateFunction | null;
  bodyRequired?: boolean;
}

let loaded: { description: Description; routes: Map<string, CompiledOperation[]> } | null = null;

function load(): NonNullable<typeof loaded> {
  if (loaded) return loaded;
  const path = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
  const description = JSON.parse(readFileSync(path, 'utf8')) as Description;
  const routes = new Map<string, CompiledOperation[]>();
  for (const [template, operations] of Object.entries(description.paths)) {
    const names: string[] = [];
    const source = template
      .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      .replace(/\{([^}]+)\}/g, (_m, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
    const pattern = new RegExp(`^${source}$`);
    for (const [method, operation] of Object.entries(operations)) {
      if (typeof operation !== 'object' || !operation || !('operationId' in operation)) continue;
      const list = routes.get(method.toUpperCase()) ?? [];
      list.push({ operation, template, names, pattern });
      routes.set(method.toUpperCase(), list);
    }
  }
  loaded = { description, routes };
  return loaded;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
(addFormatsModule as unknown as (a: Ajv) => void)(ajv);

function resolveRef(ref: string): Json {
  const parts = ref.replace(/^#\//, '').split('/');
  let node: unknown = load().description;
  for (const part of parts) node = (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return node as Json;
}

/** Inlines $refs (a recursive one becomes {}), and turns OpenAPI 3.0's `nullable` into JSON Schema. */
function plainSchema(schema: unknown, seen: string[] = []): unknown {
  if (Array.isArray(schema)) return schema.map((s) => plainSchema(s, seen));
  if (!schema || typeof schema !== 'object') return schema;
  const node = schema as Json;
  if (typeof node.$ref === 'string') {
    if (seen.includes(node.$ref) || seen.length > 30) return {};
    return plainSchema(resolveRef(node.$ref), [...seen, node.$ref]);
  }
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'examples' || key.startsWith('x-')) continue;
    out[key] =
      key === 'properties' || key === 'patternProperties'
        ? Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, plainSchema(v, seen)]))
        : plainSchema(value, seen);
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string')
      return {
        ...out,
        type: [out.type, 'null'],
        ...(Array.isArray(out.enum) && { enum: [...out.enum, null] }),
      };
    return { anyOf: [out, { type: 'null' }] };
  }
  delete out.nullable;
  return out;
}

function parametersOf(compiled: CompiledOperation): Parameter[] {
  compiled.parameters ??= (compiled.operation.parameters ?? []).map((p) =>
    '$ref' in p ? (resolveRef(p.$ref) as unknown as Parameter) : p,
  );
  return compiled.parameters;
}

function bodyValidator(compiled: CompiledOperation): ValidateFunction | null {
  if (compiled.body !== undefined) return compiled.body;
  const body = compiled.operation.requestBody;
  compiled.bodyRequired = body?.required === true;
  const schema = body?.content?.['application/json']?.schema;
  compiled.body = schema ? ajv.compile(plainSchema(schema) as Json) : null;
  return compiled.body;
}

/** A path or query value as its schema types it: GitHub reads "12" as the integer 12. */
function typed(value: string, schema: Json | undefined): unknown {
  const type = schema?.type;
  if (type === 'integer' || type === 'number') return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

const paramValidators = new Map<string, ValidateFunction>();
function checkValue(key: string, schema: Json | undefined, value: unknown): string | null {
  if (!schema) return null;
  let validate = paramValidators.get(key);
  if (!validate) {
    validate = ajv.compile(plainSchema(schema) as Json);
    paramValidators.set(key, validate);
  }
  return validate(value) ? null : ajv.errorsText(validate.errors);
}

export function checkRequest(method: string, url: URL, body: unknown): CheckResult {
  const candidates = load().routes.get(method) ?? [];
  const path = url.pathname;
  // A literal segment beats a parameter (…/issues/comments is not …/issues/{issue_number}).
  const matches = candidates
    .map((c) => ({ c, m: c.pattern.exec(path) }))
    .filter((x) => x.m)
    .sort((a, b) => a.c.names.length - b.c.names.length);
  const found = matches[0];
  if (!found?.m) return { ok: false, status: 404, message: 'Not Found' };
  const compiled = found.c;
  const params: Record<string, string | number> = {};
  const parameters = parametersOf(compiled);
  for (const [index, name] of compiled.names.entries()) {
    const raw = decodeURIComponent(found.m[index + 1]!);
    const spec = parameters.find((p) => p.in === 'path' && p.name === name);
    const value = typed(raw, spec?.schema);
    const problem = checkValue(`${compiled.operation.operationId}:path:${name}`, spec?.schema, value);
    if (problem) return { ok: false, status: 404, message: `Not Found (path parameter ${name}: ${problem})` };
    params[name] = value as string | number;
  }
  const query: Record<string, unknown> = {};
  for (const spec of parameters.filter((p) => p.in === 'query')) {
    const raw = url.searchParams.get(spec.name);
    if (raw === null) {
      if (spec.required)
        return { ok: false, status: 422, message: `Invalid request.\n\n"${spec.name}" wasn't supplied.` };
      continue;
    }
    const value = typed(raw, spec.schema);
    const problem = checkValue(`${compiled.operation.operationId}:query:${spec.name}`, spec.schema, value);
    if (problem)
      return { ok: false, status: 422, message: `Invalid request.\n\nquery ${spec.name}: ${problem}` };
    query[spec.name] = value;
  }
  const validate = bodyValidator(compiled);
  if (validate) {
    if (body === undefined && compiled.bodyRequired) {
      return { ok: false, status: 400, message: 'Problems parsing JSON' };
    }
    if (body !== undefined && !validate(body)) {
      return {
        ok: false,
        status: 422,
        message: `Invalid request.\n\n${ajv.errorsText(validate.errors, { dataVar: 'body' })}`,
      };
    }
  }
  return {
    ok: true,
    operation: { operationId: compiled.operation.operationId, template: compiled.template, params },
    query,
  };
}
