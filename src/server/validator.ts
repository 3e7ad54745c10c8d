// How requests are checked against their schemas: TypeBox's compiled checker. Bodies are taken as
// sent; query strings and path parameters arrive as text and are converted first, but only where
// the text says the value exactly ("5", "true"): never "1.5" -> 1, "0x10" -> 16 or "1" -> true.

import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';

export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  return (value: unknown) => {
    const converted = httpPart === 'body' ? value : convertText(schema, value);
    if (check.Check(converted)) return { value: converted };
    return { error: check.Errors(converted) as unknown as FastifySchemaValidationError[] };
  };
};

function convertText(schema: TSchema, value: unknown): unknown {
  if (!isRecord(value)) return Value.Convert(schema, value);
  // Convert changes the object it is given: keep the text to compare with.
  const converted = Value.Convert(schema, { ...value });
  if (!isRecord(converted)) return converted;
  const exact: Record<string, unknown> = { ...converted };
  for (const [key, text] of Object.entries(value)) {
    // A conversion that does not give back the same text is not taken: the check then says why.
    if (typeof text === 'string' && exact[key] !== text && String(exact[key]) !== text) exact[key] = text;
  }
  return exact;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
