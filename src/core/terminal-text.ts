// Makes text safe to print to a terminal: a title, a note or an agent's log holds whatever someone
// typed or a tool printed, and an escape sequence in it would recolour, move the cursor or retitle the
// reader's terminal instead of showing.

/**
 * C0 controls but tab and newline, DEL, C1 controls, and the Unicode controls that reorder or break lines
 * unseen (bidi embeddings, overrides and isolates; line and paragraph separators).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The text with every unsafe character shown as its escape (`\x1b`, `\r`, `\u202e`); \n and \t kept. */
export function terminalSafe(text: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(text) && !text.includes('\r')) return text; // the usual case: no copy
  return text.replace(/\r\n/g, '\n').replace(UNSAFE, (char) => {
    if (char === '\r') return '\\r';
    const code = char.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
