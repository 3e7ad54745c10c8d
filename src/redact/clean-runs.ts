// Where a stream's bytes hold nothing for the redactor: no keyword of any detector, no `:` or `=`
// after a name the keyed rules would read, no value of a secret-named environment variable, and
// only well-formed UTF-8. Such a run may go to the recording without passing the StreamRedactor
// (its output would be the run itself): the recording's fast path (src/sessions/stream-runs.ts).
// The scan is native (src/native/fast-cast.c); every detector that finds something must be one of
// those it knows (detectors.ts), or this would let its secrets through.

import type { FastCast, NativePrefilter } from '../native/fast-cast.js';
import { buildDetectors } from './detectors.js';
import { envSecrets, MAX_ENV_HOLD } from './env-detector.js';
import { NAME_END_CODES } from './keyed-detector.js';
import type { RedactOptions } from './types.js';

export class CleanRuns {
  readonly #native: FastCast;
  readonly #prefilter: NativePrefilter;
  readonly #envValues: Buffer[];
  /**
   * The bytes at the end of what has arrived that must go through the redactor anyway: they may be the
   * first ones of a keyword or of an environment value, which it holds back until it knows.
   */
  readonly tailBytes: number;

  constructor(native: FastCast, options: RedactOptions) {
    this.#native = native;
    const keywords = buildDetectors(options).keywords;
    this.#prefilter = native.prefilter(
      keywords.map((keyword) => Buffer.from(keyword)),
      Uint8Array.from(NAME_END_CODES),
    );
    const values = envSecrets(options.secretsFromEnv ?? {}).map((secret) => secret.value);
    this.#envValues = values.map((value) => Buffer.from(value));
    this.tailBytes = Math.max(
      0,
      ...keywords.map((keyword) => Buffer.byteLength(keyword) - 1),
      // A held value's first MAX_ENV_HOLD characters, in at most 4 bytes each.
      ...values.map((value) => Buffer.byteLength(value.slice(0, MAX_ENV_HOLD + 1)) - 1),
    );
  }

  /** The first place in [start, end) the redactor could act on, or end. */
  until(bytes: Buffer, start: number, end: number): number {
    let stop = this.#native.cleanUntil(this.#prefilter, bytes, start, end);
    // Only a value that starts before the scan's stop matters: the search ends there.
    for (const value of this.#envValues) {
      const at = bytes.subarray(start, Math.min(end, stop + value.length - 1)).indexOf(value);
      if (at !== -1) stop = start + at;
    }
    return stop;
  }
}
