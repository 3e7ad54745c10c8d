// Finds secrets known by the name in front of them: `FOO_TOKEN=abc`, `export X_SECRET="..."`,
// `"api_key": "..."`, `password: ...`, `aws_secret_access_key = ...`. Only the value is replaced.
// Candidates are the `:` and `=` of the window (found with indexOf); a rule runs only where the name
// before one ends in a secret word, so a window without such names costs two memchr passes.

import { isNameCode, nameStartsAt } from './regex-parts.js';
import { isPlaceholderValue, isSecretName } from './secret-names.js';
import { addHold, type Detector, type Findings } from './types.js';

/** The name of an assignment can sit this far before the text not yet emitted. */
export const KEYED_LOOKBACK = 160;

/** The longest name prefix before its secret word, as in `[A-Za-z0-9_.-]{0,60}?(?:key|token|...)`. */
const MAX_NAME_PREFIX = 60;
/** Longest first: of `passwd` and `password`, `credential` and `credentials`, the one that fits. */
const SECRET_WORDS = [
  'credentials',
  'passphrase',
  'credential',
  'password',
  'passwd',
  'secret',
  'token',
  'key',
  'pat',
];
/** The last letters of the secret words, lower case, as char codes: most separators stop at this test. */
const LAST_CODES = new Set(SECRET_WORDS.map((word) => word.charCodeAt(word.length - 1)));
/** The same letters for a scan that skips what this detector would not look at (clean-runs.ts). */
export const NAME_END_CODES: readonly number[] = [...LAST_CODES];

/** A separator at the end of the text, and at most the spaces and quote that may come before a value. */
const AWAITING_VALUE = /(?::=|=>|=|:)[ \t]*["']?$/;

/**
 * Whether text that ends so may be followed by a value this detector would take: it looks back past
 * the text already out (KEYED_LOOKBACK), so what comes next must pass it even when it holds no keyword.
 */
export function awaitsValue(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  // `:` `=` `>` space tab `"` `'`: any other last character settles it at once.
  if (
    last !== 0x3a &&
    last !== 0x3d &&
    last !== 0x3e &&
    last !== 0x20 &&
    last !== 0x09 &&
    last !== 0x22 &&
    last !== 0x27
  )
    return false;
  return AWAITING_VALUE.test(text.slice(-KEYED_LOOKBACK));
}
const LONGEST_WORD = 11;
const SEPARATORS = [':', '='];

/** The secret word the name ending at `nameEnd` ends with, in any case, or undefined. */
function secretWordBefore(window: string, nameEnd: number): string | undefined {
  const from = Math.max(0, nameEnd - LONGEST_WORD);
  for (let at = from; at < nameEnd; at++) {
    // toLowerCase knows cases beyond ASCII (the Kelvin sign lowers to k): such an ending goes through it.
    if (window.charCodeAt(at) >= 0x80) {
      const ending = window.slice(from, nameEnd).toLowerCase();
      return SECRET_WORDS.find((candidate) => ending.endsWith(candidate));
    }
  }
  for (const word of SECRET_WORDS) if (endsWithLowered(window, nameEnd, word)) return word;
  return undefined;
}

/** Whether ASCII text[.., end) ends with `word` (lower case letters) in any case, without a lowered copy. */
function endsWithLowered(text: string, end: number, word: string): boolean {
  const start = end - word.length;
  if (start < 0) return false;
  // `| 0x20` maps an ASCII letter to its lower case and nothing else onto a letter.
  for (let i = 0; i < word.length; i++)
    if ((text.charCodeAt(start + i) | 0x20) !== word.charCodeAt(i)) return false;
  return true;
}

const SEPARATOR = `["']?[ \\t]*(?::=|=>|=|:)[ \\t]*`;
const BARE = '[^\\s"\'`,;\\x00-\\x1f\\x7f]';

// The rules' expressions end with their value (a closing quote is a lookahead), so its place follows
// from the lengths of the match and the group: no `d` flag, whose index arrays were the largest part of
// the redactor's garbage where a secret comes every few KB.
interface KeyedRule {
  kind: string;
  rank: number;
  /** Sticky at the end of the name; the value, last in the match, in whichever group took part. */
  value: RegExp;
  /** Sticky at the end of the name, anchored at the end; group 1 is an unfinished value. */
  tail: RegExp;
  acceptName(name: string): boolean;
}

// Output repeats its names (`API_KEY=` on every line of a log): remember the verdicts, a bounded number.
const NAME_VERDICTS = new Map<string, boolean>();
const MAX_NAME_VERDICTS = 1024;

function isSecretNameCached(name: string): boolean {
  let verdict = NAME_VERDICTS.get(name);
  if (verdict === undefined) {
    verdict = isSecretName(name);
    if (NAME_VERDICTS.size >= MAX_NAME_VERDICTS) NAME_VERDICTS.clear();
    NAME_VERDICTS.set(name, verdict);
  }
  return verdict;
}

const AWS_NAME = /^(?:aws_?secret_?(?:access_?)?key|secret_?access_?key)$/i;

/** The two rules, ranked for precedence among all detectors (see detectors.ts). */
export function keyedRules(awsRank: number, assignmentRank: number): KeyedRule[] {
  return [
    // After gitleaks' keyword-and-value rules: a 40-character AWS secret is only told apart by its name.
    {
      kind: 'aws-secret-access-key',
      rank: awsRank,
      value: new RegExp(`${SEPARATOR}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`, 'y'),
      tail: new RegExp(`${SEPARATOR}["']?([A-Za-z0-9/+]{0,40})$`, 'y'),
      acceptName: (name) => AWS_NAME.test(name),
    },
    {
      kind: 'secret-assignment',
      rank: assignmentRank,
      value: new RegExp(
        `${SEPARATOR}(?:"([^"\\x00-\\x1f]{1,512})(?=")|'([^'\\x00-\\x1f]{1,512})(?=')|(${BARE}{1,200})(?!${BARE}))`,
        'y',
      ),
      tail: new RegExp(`${SEPARATOR}("[^"\\x00-\\x1f]{0,512}|'[^'\\x00-\\x1f]{0,512}|${BARE}{0,200})$`, 'y'),
      acceptName: isSecretNameCached,
    },
  ];
}

/** A tail longer than this after the name cannot be an unfinished value (512 quoted characters at most). */
const TAIL_REACH = 600;

export class KeyedDetector implements Detector {
  readonly #rules: KeyedRule[];

  constructor(rules: KeyedRule[]) {
    this.#rules = rules;
  }

  readonly keywords: readonly string[] = [];

  examine(): void {}

  scan(window: string, from: number, final: boolean, found: Findings): void {
    const start = Math.max(0, from - KEYED_LOOKBACK);
    for (const separator of SEPARATORS) {
      for (let at = window.indexOf(separator, start); at !== -1; at = window.indexOf(separator, at + 1)) {
        this.#examine(window, at, from, final, found);
      }
    }
  }

  #examine(window: string, separatorAt: number, from: number, final: boolean, found: Findings): void {
    // Back from the separator over `["']?[ \t]*` to where the name ends.
    let nameEnd = separatorAt;
    while (
      nameEnd > 0 &&
      (window.charCodeAt(nameEnd - 1) === 0x20 || window.charCodeAt(nameEnd - 1) === 0x09)
    ) {
      nameEnd--;
    }
    const quote = window.charCodeAt(nameEnd - 1);
    if (quote === 0x22 || quote === 0x27) nameEnd--;
    // `| 0x20` lowers an ASCII capital; anything else it lets through is checked again below.
    if (nameEnd === 0 || !LAST_CODES.has(window.charCodeAt(nameEnd - 1) | 0x20)) return;
    const word = secretWordBefore(window, nameEnd);
    if (word === undefined) return;
    const earliest = Math.max(0, nameEnd - word.length - MAX_NAME_PREFIX);
    let runStart = nameEnd - word.length;
    while (runStart > earliest && isNameCode(window.charCodeAt(runStart - 1))) runStart--;

    for (const rule of this.#rules) {
      const nameStart = this.#nameStart(window, runStart, nameEnd - word.length, nameEnd, rule);
      if (nameStart === -1) continue;
      rule.value.lastIndex = nameEnd;
      const match = rule.value.exec(window);
      const value = match?.[1] ?? match?.[2] ?? match?.[3];
      if (match && value !== undefined) {
        const end = nameEnd + match[0].length;
        const start = end - value.length;
        if (start >= from && !isPlaceholderValue(value))
          found.hits.push({ start, end, kind: rule.kind, rank: rule.rank });
      }
      if (final || window.length - nameEnd > TAIL_REACH) continue;
      rule.tail.lastIndex = nameEnd;
      const unfinished = rule.tail.exec(window)?.[1];
      if (unfinished === undefined) continue;
      const held = Math.max(window.length - unfinished.length, from);
      if (held < window.length) addHold(found, { start: held, kind: rule.kind });
    }
  }

  /** The leftmost place in [runStart, wordStart] where a name may start and the rule takes it, or -1. */
  #nameStart(window: string, runStart: number, wordStart: number, nameEnd: number, rule: KeyedRule): number {
    for (let at = runStart; at <= wordStart; at++) {
      if (nameStartsAt(window, at) && rule.acceptName(window.slice(at, nameEnd))) return at;
    }
    return -1;
  }
}
