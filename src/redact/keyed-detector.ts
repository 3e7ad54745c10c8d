// Finds secrets known by the name in front of them: `FOO_TOKEN=abc`, `export X_SECRET="..."`,
// `"api_key": "..."`, `password: ...`, `aws_secret_access_key = ...`. Only the value is replaced.

import { NAME_START } from './regex-parts.js';
import { isPlaceholderValue, isSecretName } from './secret-names.js';
import type { Detector, Hit, Hold } from './types.js';

/** The name of an assignment can sit this far before the text not yet emitted. */
export const KEYED_LOOKBACK = 160;

interface KeyedRule {
  kind: string;
  /** Groups: `name`, and the value in whichever of `v1`, `v2`, `v3` took part. */
  find: RegExp;
  /** Anchored at the end; group `v` is an unfinished value. */
  tail: RegExp;
  acceptName(name: string): boolean;
}

const SEPARATOR = `["']?[ \\t]*(?::=|=>|=|:)[ \\t]*`;
const BARE = '[^\\s"\'`,;\\x00-\\x1f\\x7f]';
const SECRET_NAME =
  '(?<name>[A-Za-z0-9_.-]{0,60}?(?:key|token|secret|passw(?:or)?d|passphrase|credentials?|pat))';
const AWS_SECRET_NAME = '(?<name>aws_?secret_?(?:access_?)?key|secret_?access_?key)';

export const ASSIGNMENT_RULE: KeyedRule = {
  kind: 'secret-assignment',
  find: new RegExp(
    `${NAME_START}${SECRET_NAME}${SEPARATOR}(?:"(?<v1>[^"\\x00-\\x1f]{1,512})"|'(?<v2>[^'\\x00-\\x1f]{1,512})'|(?<v3>${BARE}{1,200})(?!${BARE}))`,
    'gdi',
  ),
  tail: new RegExp(
    `${NAME_START}${SECRET_NAME}${SEPARATOR}(?<v>"[^"\\x00-\\x1f]{0,512}|'[^'\\x00-\\x1f]{0,512}|${BARE}{0,200})$`,
    'gdi',
  ),
  acceptName: isSecretName,
};

// After gitleaks' keyword-and-value rules: a 40-character AWS secret is only told apart by its name.
export const AWS_SECRET_RULE: KeyedRule = {
  kind: 'aws-secret-access-key',
  find: new RegExp(
    `${NAME_START}${AWS_SECRET_NAME}${SEPARATOR}["']?(?<v1>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
    'gdi',
  ),
  tail: new RegExp(`${NAME_START}${AWS_SECRET_NAME}${SEPARATOR}["']?(?<v>[A-Za-z0-9/+]{0,40})$`, 'gdi'),
  acceptName: () => true,
};

type Span = [number, number];

function valueSpan(match: RegExpExecArray): Span | undefined {
  const groups = match.indices?.groups;
  return groups?.v1 ?? groups?.v2 ?? groups?.v3;
}

export class KeyedDetector implements Detector {
  readonly #rule: KeyedRule;

  constructor(rule: KeyedRule) {
    this.#rule = rule;
  }

  find(window: string, from: number): Hit[] {
    const { find, kind, acceptName } = this.#rule;
    const hits: Hit[] = [];
    find.lastIndex = Math.max(0, from - KEYED_LOOKBACK);
    for (let match = find.exec(window); match !== null; match = find.exec(window)) {
      const span = valueSpan(match);
      if (span === undefined || !acceptName(match.groups?.name ?? '')) {
        // A shorter name inside this one may still be a secret's (`monkey_token=`): retry one further on.
        find.lastIndex = match.index + 1;
        continue;
      }
      const [start, end] = span;
      if (start >= from && !isPlaceholderValue(window.slice(start, end))) hits.push({ start, end, kind });
    }
    return hits;
  }

  hold(window: string, from: number): Hold | null {
    const { tail, kind, acceptName } = this.#rule;
    tail.lastIndex = Math.max(0, from - KEYED_LOOKBACK, window.length - 900);
    for (let match = tail.exec(window); match !== null; match = tail.exec(window)) {
      const start = match.indices?.groups?.v?.[0];
      if (start !== undefined && acceptName(match.groups?.name ?? '')) {
        const clamped = Math.max(start, from);
        return clamped < window.length ? { start: clamped, kind } : null;
      }
      tail.lastIndex = match.index + 1;
    }
    return null;
  }
}
