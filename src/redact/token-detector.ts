// Finds the provider tokens of patterns.ts and holds back a stream tail that is, or could still grow
// into, one of them: the engine finds their literal prefixes, and each candidate's own regex runs anchored there.

import { TOKEN_PATTERNS, type TokenPattern } from './patterns.js';
import { PartialLiterals, tokenStartsAt } from './regex-parts.js';
import { addHold, type Detector, type Findings } from './types.js';

interface CompiledPattern {
  pattern: TokenPattern;
  rank: number;
  /** The whole token, sticky: tried only where a prefix was found. */
  token: RegExp;
  /** Body characters after a prefix, sticky, up to one more than the most. */
  body: RegExp;
}

export class TokenDetector implements Detector {
  readonly #patterns: CompiledPattern[];
  readonly keywords: readonly string[];
  /** Candidates by the first character of their prefixes. */
  readonly #byFirstChar = new Map<string, CompiledPattern[]>();
  readonly #partials: PartialLiterals;

  constructor(patterns: readonly TokenPattern[] = TOKEN_PATTERNS, firstRank = 0) {
    this.#patterns = patterns.map((pattern, index) => ({
      pattern,
      rank: firstRank + index,
      token: new RegExp(`(?:${pattern.regex})`, 'y'),
      body: new RegExp(`${pattern.body}{0,${pattern.maxBody + 1}}`, 'y'),
    }));
    const prefixes = patterns.flatMap((pattern) => pattern.prefixes);
    this.keywords = prefixes;
    for (const compiled of this.#patterns) {
      for (const first of new Set(compiled.pattern.prefixes.map((prefix) => prefix.charAt(0)))) {
        const list = this.#byFirstChar.get(first) ?? [];
        list.push(compiled);
        this.#byFirstChar.set(first, list);
      }
    }
    this.#partials = new PartialLiterals(prefixes);
  }

  examine(window: string, at: number, final: boolean, found: Findings): void {
    if (!tokenStartsAt(window, at)) return;
    // Prefixes may overlap (`sk-` and `sk-ant-`): every candidate at this place is tried.
    for (const compiled of this.#byFirstChar.get(window.charAt(at)) ?? []) {
      this.#examineOne(compiled, window, at, final, found);
    }
  }

  scan(window: string, from: number, final: boolean, found: Findings): void {
    if (!final) this.#holdPartialPrefix(window, from, found);
  }

  #examineOne(compiled: CompiledPattern, window: string, at: number, final: boolean, found: Findings): void {
    const { pattern, token, body, rank } = compiled;
    const prefix = pattern.prefixes.find((literal) => window.startsWith(literal, at));
    if (prefix === undefined) return;
    // test() of a sticky expression leaves lastIndex at the end of its match: no match array is made.
    token.lastIndex = at;
    if (token.test(window)) {
      const end = token.lastIndex;
      if (!pattern.allow?.test(window.slice(at, end)))
        found.hits.push({ start: at, end, kind: pattern.kind, rank });
    }
    if (final) return;
    // A body that runs to the end of the window, no longer than the most, may still grow into a token.
    body.lastIndex = at + prefix.length;
    const runEnd = body.test(window) ? body.lastIndex : at + prefix.length;
    if (runEnd === window.length && runEnd - at - prefix.length <= pattern.maxBody) {
      addHold(found, { start: at, kind: pattern.kind });
    }
  }

  /** The last few characters may be the first ones of a prefix (`gh`, `sk-an`, `AKI`). */
  #holdPartialPrefix(window: string, from: number, found: Findings): void {
    const at = this.#partials.tailStart(window, from, tokenStartsAt);
    if (at !== -1) addHold(found, { start: at, kind: 'token' });
  }
}
