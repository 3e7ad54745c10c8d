// Every error the API returns has one shape, { error: { code, message, details? } }, with the status
// errors.ts gives its code: a client rebuilds the same SddError the embedded Service would throw.

import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  InvalidInputError,
  NotFoundError,
  RequestTimeoutError,
  SddError,
  TooLargeError,
} from '../core/errors.js';

/** What a request's failure becomes: an SddError, or null for a bug (logged, sent as INTERNAL). */
export function toSddError(error: FastifyError, bodyLimit?: number): SddError | null {
  if (error instanceof SddError) return error;
  if (error.validation) return validationError(error);
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new TooLargeError(
        `The request body is larger than this endpoint takes${bodyLimit ? ` (${sizeOf(bodyLimit)})` : ''}.`,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new InvalidInputError('Send the body as JSON (Content-Type: application/json).');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new InvalidInputError('The body is empty; send a JSON object.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new InvalidInputError(`The body is not valid JSON: ${error.message}`);
  }
  if (error instanceof SyntaxError || error.statusCode === 400) {
    return new InvalidInputError(`The body is not valid JSON: ${error.message}`);
  }
  if (error.statusCode === 404) return new NotFoundError(error.message);
  if (error.statusCode === 413) return new TooLargeError(error.message);
  return null;
}

function sizeOf(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${Math.round(bytes / (1024 * 1024))} MiB`
    : `${Math.round(bytes / 1024)} KiB`;
}

/** At most this many problems are named: a huge bad body must not make a huge answer. */
const MAX_PROBLEMS = 10;

interface ValidationProblem {
  keyword: string;
  schemaPath?: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Names the field: `body.input.priority: must be <= 4`, `querystring.limit: must be integer`. */
function validationError(error: FastifyError): InvalidInputError {
  const context = (error as FastifyError & { validationContext?: string }).validationContext ?? 'body';
  const problems = ((error.validation ?? []) as ValidationProblem[]).flatMap((v) =>
    describeProblem(context, v),
  );
  const fields = [...new Set(problems)].slice(0, MAX_PROBLEMS);
  return new InvalidInputError(`Bad request: ${fields.join('; ')}.`, { fields });
}

// TypeBox names missing and unknown properties in lists (ajv names one at a time), and also reports
// each unknown property as a "schema is false" at its own path: that one is said as unknown too.
function describeProblem(context: string, v: ValidationProblem): string[] {
  const path = [context, ...v.instancePath.split('/').filter(Boolean)].join('.');
  const names = (value: unknown): string[] =>
    Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
  const missing = [...names(v.params.requiredProperties), ...names(v.params.missingProperty)];
  if (missing.length > 0) return missing.map((name) => `${path}.${name}: required`);
  const extra = names(v.params.additionalProperties ?? v.params.additionalProperty);
  if (extra.length > 0) return extra.map((name) => `${path}.${name}: unknown field`);
  if (v.keyword === 'boolean' && v.schemaPath?.endsWith('/additionalProperties')) {
    return [`${path}: unknown field`];
  }
  return [`${path}: ${v.message ?? 'invalid'}`];
}

/** The router's own refusals (a bad %-escape, an over-long path segment), in the API's shape. */
export function frameworkErrorHandler(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const known =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new InvalidInputError(
          'A reference or id in the path is too long; an item reference has at most 300 characters.',
        )
      : error.code === 'FST_ERR_BAD_URL'
        ? new InvalidInputError('The path is not a valid URL: a %-escape in it is broken.')
        : toSddError(error);
  if (known) sendError(reply, known);
  else reply.code(500).send({ error: { code: 'INTERNAL', message: 'The server failed; see its log.' } });
}

export function sendError(reply: FastifyReply, error: SddError): FastifyReply {
  return reply.code(error.httpStatus).send({ error: error.toJSON() });
}

export function errorHandler(
  log: (line: string) => void,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (error, request, reply) => {
    const known = toSddError(error, request.routeOptions.bodyLimit);
    if (known) return sendError(reply, known);
    log(`error in ${request.method} ${request.url}: ${error.stack ?? error.message}`);
    return reply.code(500).send({ error: { code: 'INTERNAL', message: 'The server failed; see its log.' } });
  };
}

/**
 * What Node could not read as a request (not HTTP, headers over its limit, not in time), answered
 * in the API's shape on the raw socket.
 */
export function clientErrorHandler(
  requestTimeoutMs: number,
): (error: NodeJS.ErrnoException, socket: Duplex) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const known: SddError =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new RequestTimeoutError(
            `The request did not reach the server within ${requestTimeoutMs / 1000} s; on a slow link, try again.`,
          )
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? new TooLargeError('The request headers are larger than the server takes (16 KiB).')
          : new InvalidInputError('The request is not valid HTTP/1.1.');
    const status = known.httpStatus;
    const body = JSON.stringify({ error: known.toJSON() });
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  };
}
