// Character tests and regular expression pieces shared by the detectors: where a secret may start
// (checked at a keyword, never as a lookbehind at every position), and literal sets as one trie regex.

const WORD = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const char = String.fromCharCode(code);
  if (/[A-Za-z0-9_]/.test(char)) WORD[code] = 1;
  if (/[A-Za-z0-9_.-]/.test(char)) WORD[code] = (WORD[code] ?? 0) | 2;
}

export function isWordCode(code: number): boolean {
  return code < 128 && (WORD[code]! & 1) === 1;
}

/** A character of a variable or field name: a word character, `.` or `-`. */
export function isNameCode(code: number): boolean {
  return code < 128 && (WORD[code]! & 2) === 2;
}

function isLetterCode(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** Whether an ANSI CSI code (`\x1b[32m`, `\x1b[?25h`) ends right before `at`. */
export function csiEndsAt(text: string, at: number): boolean {
  if (at < 3 || !isLetterCode(text.charCodeAt(at - 1))) return false;
  let i = at - 2;
  // Parameters: digits, `;`, `:` and `?`.
  for (let code = text.charCodeAt(i); (code >= 48 && code <= 59) || code === 63; code = text.charCodeAt(i))
    i--;
  return i >= 1 && text.charCodeAt(i) === 0x5b && text.charCodeAt(i - 1) === 0x1b;
}

/** A token starts after a non-word character, at the start, or right after an ANSI CSI code. */
export function tokenStartsAt(text: string, at: number): boolean {
  return at === 0 || !isWordCode(text.charCodeAt(at - 1)) || csiEndsAt(text, at);
}

/** Same for names in assignments, whose characters include `.` and `-`. */
export function nameStartsAt(text: string, at: number): boolean {
  return at === 0 || !isNameCode(text.charCodeAt(at - 1)) || csiEndsAt(text, at);
}

export function escapeRegex(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

interface TrieNode {
  end: boolean;
  next: Map<string, TrieNode>;
}

/**
 * One regular expression that matches any of `literals`, factored as a trie (`A(?:KIA|SIA)|gh…`):
 * V8 then tests one alternative per character, which keeps a scan near memchr speed. A literal with
 * another as its prefix is dropped: finding the shorter one is enough to look closer.
 */
export function literalsRegex(literals: readonly string[]): string {
  const root: TrieNode = { end: false, next: new Map() };
  for (const literal of literals) {
    let node = root;
    for (const char of literal) {
      if (node.end) break;
      let child = node.next.get(char);
      if (child === undefined) {
        child = { end: false, next: new Map() };
        node.next.set(char, child);
      }
      node = child;
    }
    node.end = true;
    node.next.clear();
  }
  const render = (node: TrieNode): string => {
    if (node.end) return '';
    const branches = [...node.next].map(([char, child]) => escapeRegex(char) + render(child));
    return branches.length === 1 ? branches[0]! : `(?:${branches.join('|')})`;
  };
  return render(root);
}

/**
 * The proper, non-empty prefixes of some literals (`g`, `gh` of `ghp_`): a stream's last characters
 * that may still grow into one of them are held back. Looked for at every drain of the redactor, so a
 * position is sliced and hashed only when its character can begin a literal at all.
 */
export class PartialLiterals {
  readonly #prefixes = new Set<string>();
  readonly #firstCodes = new Set<number>();
  readonly #longest: number;

  constructor(literals: readonly string[]) {
    for (const literal of literals) {
      this.#firstCodes.add(literal.charCodeAt(0));
      for (let n = 1; n < literal.length; n++) this.#prefixes.add(literal.slice(0, n));
    }
    this.#longest = Math.max(0, ...literals.map((literal) => literal.length));
  }

  /**
   * The first place at or after `from` where the rest of `text` is such a prefix (and `startsAt`, if
   * given, allows one to start), or -1.
   */
  tailStart(text: string, from: number, startsAt?: (text: string, at: number) => boolean): number {
    for (let at = Math.max(from, text.length - this.#longest + 1); at < text.length; at++) {
      if (!this.#firstCodes.has(text.charCodeAt(at))) continue;
      if (this.#prefixes.has(text.slice(at)) && (startsAt === undefined || startsAt(text, at))) return at;
    }
    return -1;
  }
}
