// The redactor's detectors and the one pass that serves them: every detector's keywords are found
// together by one trie-shaped regular expression (as gitleaks prefilters its rules by keyword), and each
// hit is handed to the detectors whose keywords start with that character. Precedence: when two find
// the same span, the lower rank names it (a GitHub token assigned to FOO_TOKEN is counted as a github-token).

import { EnvDetector } from './env-detector.js';
import { KeyedDetector, keyedRules } from './keyed-detector.js';
import { TOKEN_PATTERNS } from './patterns.js';
import { PrivateKeyDetector } from './private-key-detector.js';
import { literalsRegex } from './regex-parts.js';
import { TokenDetector } from './token-detector.js';
import type { Detector, Findings, RedactOptions } from './types.js';

const RANK = { privateKey: 0, tokens: 10, awsSecret: 10 + TOKEN_PATTERNS.length, env: 50, assignment: 60 };

export class DetectorSet {
  readonly #detectors: readonly Detector[];
  /** Every detector's keywords: text without any (and without what scan() looks at) holds no secret. */
  readonly keywords: readonly string[];
  readonly #keywords: RegExp | null;
  readonly #byFirstChar = new Map<string, Detector[]>();

  constructor(detectors: readonly Detector[]) {
    this.#detectors = detectors;
    const keywords = detectors.flatMap((detector) => detector.keywords);
    this.keywords = keywords;
    this.#keywords = keywords.length === 0 ? null : new RegExp(literalsRegex(keywords), 'g');
    for (const detector of detectors) {
      for (const first of new Set(detector.keywords.map((keyword) => keyword.charAt(0)))) {
        this.#byFirstChar.set(first, [...(this.#byFirstChar.get(first) ?? []), detector]);
      }
    }
  }

  /** Complete secrets starting at or after `from`, and the earliest place an unfinished one may begin. */
  scan(window: string, from: number, final: boolean): Findings {
    const found: Findings = { hits: [], hold: null };
    const keywords = this.#keywords;
    if (keywords !== null) {
      keywords.lastIndex = from;
      for (let match = keywords.exec(window); match !== null; match = keywords.exec(window)) {
        const at = match.index;
        // Keywords may overlap (`sk-` in `sk-ant-`, a header inside a run of dashes): look again one further on.
        keywords.lastIndex = at + 1;
        for (const detector of this.#byFirstChar.get(window.charAt(at)) ?? []) {
          detector.examine(window, at, final, found);
        }
      }
    }
    for (const detector of this.#detectors) detector.scan(window, from, final, found);
    return found;
  }
}

// Detectors keep no state between calls, so one set serves every redactor; compiling the
// regular expressions per string would dominate the cost of redacting a transcript line by line.
const FIXED: readonly Detector[] = [
  new PrivateKeyDetector(RANK.privateKey),
  new TokenDetector(TOKEN_PATTERNS, RANK.tokens),
];
const KEYED = new KeyedDetector(keyedRules(RANK.awsSecret, RANK.assignment));
const WITHOUT_ENV = new DetectorSet([...FIXED, KEYED]);
const byOptions = new WeakMap<RedactOptions, DetectorSet>();

export function buildDetectors(options: RedactOptions): DetectorSet {
  const cached = byOptions.get(options);
  if (cached !== undefined) return cached;
  const env = new EnvDetector(options.secretsFromEnv ?? {}, RANK.env);
  const set = env.empty ? WITHOUT_ENV : new DetectorSet([...FIXED, env, KEYED]);
  byOptions.set(options, set);
  return set;
}
