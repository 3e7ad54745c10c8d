// Every error the API returns has one shape, { error: { code, message, details? } }, with the status
// errors.ts gives its code: a client rebuilds the same SddError the embedded Service would throw.

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidInputError, NotFoundError, SddError, TooLargeError } from '../core/errors.js';

/** What a request's failure becomes: an SddError, or null for a bug (logged, sent as INTERNAL). */
export function toSddError(error: FastifyError): SddError | null {
  if (error instanceof SddError) return error;
  if (error.validation) return validationError(error);
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new TooLargeError('The request body is larger than this endpoint takes.');
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

/** Names the field: `body.input.priority: must be <= 4`, `query.limit: must be integer`. */
function validationError(error: FastifyError): InvalidInputError {
  const context = (error as FastifyError & { validationContext?: string }).validationContext ?? 'body';
  const problems = (error.validation ?? []).map((v) => {
    const missing = (v.params as { missingProperty?: string }).missingProperty;
    const extra = (v.params as { additionalProperty?: string }).additionalProperty;
    const path = [context, ...v.instancePath.split('/').filter(Boolean)].join('.');
    if (missing) return `${path}.${missing}: required`;
    if (extra) return `${path}.${extra}: unknown field`;
    return `${path}: ${v.message ?? 'invalid'}`;
  });
  const fields = [...new Set(problems)];
  return new InvalidInputError(`Bad request: ${fields.join('; ')}.`, { fields });
}

export function sendError(reply: FastifyReply, error: SddError): FastifyReply {
  return reply.code(error.httpStatus).send({ error: error.toJSON() });
}

export function errorHandler(
  log: (line: string) => void,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (error, request, reply) => {
    const known = toSddError(error);
    if (known) return sendError(reply, known);
    log(`error in ${request.method} ${request.url}: ${error.stack ?? error.message}`);
    return reply.code(500).send({ error: { code: 'INTERNAL', message: 'The server failed; see its log.' } });
  };
}
