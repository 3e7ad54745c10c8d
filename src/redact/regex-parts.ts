// Pieces of regular expression shared by the detectors: where a secret may start, and how to
// recognise a stream tail that is only the first few characters of a literal.

/** A secret starts after a non-word character, or right after an ANSI SGR/CSI code (`\x1b[32m`). */
export const TOKEN_START = '(?:(?<![A-Za-z0-9_])|(?<=\\x1b\\[[0-9;:?]*[A-Za-z]))';

/** Same for names in assignments, whose characters include `.` and `-`. */
export const NAME_START = '(?:(?<![A-Za-z0-9_.-])|(?<=\\x1b\\[[0-9;:?]*[A-Za-z]))';

export function escapeRegex(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** A pattern matching any non-empty prefix of `literal` ("ab" -> `a(?:b)?`). */
export function partialLiteral(literal: string): string {
  let rest = '';
  for (let i = literal.length - 1; i >= 1; i--) rest = `(?:${escapeRegex(literal.charAt(i))}${rest})?`;
  return escapeRegex(literal.charAt(0)) + rest;
}

/** Runs a global regex from `lastIndex` and returns every match. */
export function execAll(regex: RegExp, text: string, lastIndex: number): RegExpExecArray[] {
  const matches: RegExpExecArray[] = [];
  regex.lastIndex = lastIndex;
  for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
    matches.push(match);
    if (match[0].length === 0) regex.lastIndex++;
  }
  return matches;
}
