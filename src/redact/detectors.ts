// The redactor's detectors in order of precedence: when two find the same span, the earlier
// one names it (a GitHub token assigned to FOO_TOKEN is counted as a github-token).

import { EnvDetector } from './env-detector.js';
import { ASSIGNMENT_RULE, AWS_SECRET_RULE, KeyedDetector } from './keyed-detector.js';
import { TOKEN_PATTERNS } from './patterns.js';
import { PrivateKeyDetector } from './private-key-detector.js';
import { TokenDetector } from './token-detector.js';
import type { Detector, RedactOptions } from './types.js';

// Detectors keep no state between calls, so one set serves every redactor; compiling the
// regular expressions per string would dominate the cost of redacting a transcript line by line.
const FIXED: readonly Detector[] = [
  new PrivateKeyDetector(),
  ...TOKEN_PATTERNS.map((pattern) => new TokenDetector(pattern)),
  new KeyedDetector(AWS_SECRET_RULE),
];
const ASSIGNMENT = new KeyedDetector(ASSIGNMENT_RULE);
const byOptions = new WeakMap<RedactOptions, Detector[]>();

export function buildDetectors(options: RedactOptions): Detector[] {
  const cached = byOptions.get(options);
  if (cached !== undefined) return cached;
  const env = new EnvDetector(options.secretsFromEnv ?? {});
  const detectors = [...FIXED, ...(env.empty ? [] : [env]), ASSIGNMENT];
  byOptions.set(options, detectors);
  return detectors;
}
