// The one error shape of the API, checked: `{ error: { code, message } }` with the HTTP status that
// errors.ts gives the code, so a client rebuilds the same SddError as the embedded Service throws.

import { expect } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../src/core/errors.js';
import { errorOf, type RawResponse } from './raw-http.js';

export function expectError(
  response: RawResponse,
  code: ErrorCode,
  messagePart?: string | RegExp,
): { code: string; message: string } {
  const error = errorOf(response);
  expect(error.code, `${response.status} ${response.text.slice(0, 300)}`).toBe(code);
  expect(response.status, error.message).toBe(ERROR_CODES[code].httpStatus);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(error.message.length).toBeGreaterThan(10);
  if (messagePart !== undefined) expect(error.message).toMatch(messagePart);
  return error;
}
