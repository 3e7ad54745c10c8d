// The redactor of secrets: what recordings and transcripts pass through before a session is final
// or leaves the machine.

export { redactAsciicastFile } from './asciicast.js';
export { redactJsonLine } from './json-line.js';
export { TOKEN_PATTERNS, type TokenPattern } from './patterns.js';
export { redactText } from './redact-text.js';
export { isSecretName } from './secret-names.js';
export { MAX_HELD_CHARS, MAX_HELD_KEY_CHARS, redactionMarker, StreamRedactor } from './stream-redactor.js';
export type { RedactCounts, RedactOptions } from './types.js';
