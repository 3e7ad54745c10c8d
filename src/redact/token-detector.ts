// Finds one provider's tokens (a row of patterns.ts) and holds back a stream tail that is, or could
// still grow into, such a token: a piece of a prefix, or a prefix followed by fewer body characters than the most.

import type { TokenPattern } from './patterns.js';
import { escapeRegex, execAll, partialLiteral, TOKEN_START } from './regex-parts.js';
import type { Detector, Hit, Hold } from './types.js';

export class TokenDetector implements Detector {
  readonly #pattern: TokenPattern;
  readonly #find: RegExp;
  readonly #tail: RegExp;
  readonly #tailLength: number;

  constructor(pattern: TokenPattern) {
    this.#pattern = pattern;
    this.#find = new RegExp(`${TOKEN_START}(?:${pattern.regex})`, 'g');
    const whole = pattern.prefixes.map(escapeRegex).join('|');
    const partial = pattern.prefixes.map(partialLiteral).join('|');
    this.#tail = new RegExp(
      `${TOKEN_START}(?:(?:${whole})${pattern.body}{0,${pattern.maxBody}}|${partial})$`,
      'g',
    );
    this.#tailLength = Math.max(...pattern.prefixes.map((prefix) => prefix.length)) + pattern.maxBody + 1;
  }

  find(window: string, from: number): Hit[] {
    const { kind, allow } = this.#pattern;
    return execAll(this.#find, window, from)
      .filter((match) => !allow?.test(match[0]))
      .map((match) => ({ start: match.index, end: match.index + match[0].length, kind }));
  }

  hold(window: string, from: number): Hold | null {
    this.#tail.lastIndex = Math.max(from, window.length - this.#tailLength);
    const match = this.#tail.exec(window);
    return match === null ? null : { start: match.index, kind: this.#pattern.kind };
  }
}
