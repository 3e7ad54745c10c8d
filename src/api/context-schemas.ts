// The team context's request and answer shapes on the wire (routes/context.ts), checked by the server
// and published in its OpenAPI description.

import { Type } from 'typebox';
import { CONTEXT_NAME_PATTERN } from '../core/context-log.js';
import { ProjectIdSchema } from './schemas.js';

const ContextName = Type.String({ pattern: CONTEXT_NAME_PATTERN });

export const ContextParams = Type.Object({ project: ProjectIdSchema, name: ContextName });

export const ContextVersionQuery = Type.Object(
  { version: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,8}$' })) },
  { additionalProperties: false },
);

export const ContextVersionInfoSchema = Type.Object({
  name: Type.String(),
  version: Type.Integer(),
  author: Type.String(),
  at: Type.String(),
});

export const ContextVersionSchema = Type.Object({
  name: Type.String(),
  version: Type.Integer(),
  text: Type.String(),
  author: Type.String(),
  at: Type.String(),
});

export const PutContextBody = Type.Object(
  {
    // The core refuses a text over its limit with its own message; this only bounds the body.
    text: Type.String({ maxLength: 1_000_000 }),
    /** The version the edit started from: 0 for a new document. */
    basedOn: Type.Integer({ minimum: 0 }),
    actor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const PutContextResultSchema = Type.Object({
  version: ContextVersionSchema,
  created: Type.Boolean(),
});
