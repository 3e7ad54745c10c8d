// Decides whether a variable or field name says its value is secret (FOO_TOKEN, apiKey, password),
// and whether a value next to such a name is a real value rather than a placeholder or code.

const SECRET_WORDS = new Set([
  'token',
  'secret',
  'password',
  'passwd',
  'passphrase',
  'apikey',
  'credential',
  'credentials',
  'pat',
]);

// `*_KEY` is mostly secret (API_KEY, SECRET_KEY), but these keys name data, not credentials.
const NON_SECRET_KEY_QUALIFIERS = new Set([
  'public',
  'primary',
  'foreign',
  'sort',
  'partition',
  'cache',
  'hash',
  'lookup',
  'row',
  'routing',
  'object',
  'unique',
  'composite',
  'idempotency',
  'map',
  'group',
  'hot',
  'short',
]);

export function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
  const last = words.at(-1);
  if (last === undefined) return false;
  if (SECRET_WORDS.has(last)) return true;
  const qualifier = words.at(-2);
  return last === 'key' && qualifier !== undefined && !NON_SECRET_KEY_QUALIFIERS.has(qualifier);
}

// Type annotations (`token: string`) and references (`$TOKEN`, `process.env.TOKEN`, `getToken()`)
// sit where values sit in code an agent prints; redacting them would only hide the code.
const TYPE_WORDS = new Set([
  'string',
  'str',
  'number',
  'int',
  'integer',
  'bool',
  'boolean',
  'any',
  'unknown',
  'object',
  'bytes',
  'null',
  'none',
  'nil',
  'undefined',
  'true',
  'false',
  'secret',
  'password',
  'token',
]);

const LONGEST_TYPE_WORD = Math.max(...[...TYPE_WORDS].map((word) => word.length));

/** A type name (`string`, `bool?`, `None;`): lowered and looked up only when it is short enough to be one. */
function isTypeWord(text: string): boolean {
  let end = text.length;
  // Trailing `?`, `;` and `,` are not part of the word.
  while (end > 0 && '?;,'.includes(text.charAt(end - 1))) end--;
  return end <= LONGEST_TYPE_WORD && TYPE_WORDS.has(text.slice(0, end).toLowerCase());
}

export function isPlaceholderValue(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed.length < 3) return true;
  if (/^[$%<{[(=*.]/.test(trimmed)) return true;
  if (isTypeWord(trimmed)) return true;
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+[,;]?$/.test(trimmed)) return true;
  if (trimmed.includes('(')) return true;
  return /^(.)\1*$/.test(trimmed);
}
