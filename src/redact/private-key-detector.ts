// Finds PEM private key blocks. A header is held back only while what follows it reads as a key body
// (key-body.ts); the first character that cannot be in one releases it, so a header printed alone
// (grep output, source code) costs nothing. A key cut short (by other text, or by the end of the
// stream) is redacted through its body, never past it.

import { PRIVATE_KEY_CAP, readKeyBody } from './key-body.js';
import { PartialLiterals } from './regex-parts.js';
import { addHold, type Detector, type Findings } from './types.js';

export { PRIVATE_KEY_CAP };

const KIND = 'private-key';
const KEYWORD = '-----BEGIN';
const HEADER = /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/y;
/** A header still being printed: its characters so far, to the end of the window. */
const PARTIAL_HEADER = /-----BEGIN[ A-Z0-9_-]{0,130}$/y;
const PARTIAL_KEYWORD = new PartialLiterals([KEYWORD]);

export class PrivateKeyDetector implements Detector {
  readonly #rank: number;

  constructor(rank: number) {
    this.#rank = rank;
  }

  readonly keywords = [KEYWORD];

  examine(window: string, at: number, final: boolean, found: Findings): void {
    HEADER.lastIndex = at;
    const header = HEADER.exec(window);
    if (header === null) {
      PARTIAL_HEADER.lastIndex = at;
      if (!final && PARTIAL_HEADER.test(window)) addHold(found, { start: at, kind: KIND });
      return;
    }
    const body = readKeyBody(window, at + header[0].length);
    if (body.state === 'block' || body.state === 'capped' || body.state === 'truncated') {
      found.hits.push({ start: at, end: body.end, kind: KIND, rank: this.#rank });
    } else if (body.state === 'open') {
      if (!final) addHold(found, { start: at, kind: KIND, block: true });
      // A truncated key is still a secret; a header alone is not.
      else if (body.runs > 0)
        found.hits.push({ start: at, end: window.length, kind: KIND, rank: this.#rank });
    }
  }

  /** The last characters may be the first ones of a header (`-----BEG`). */
  scan(window: string, from: number, final: boolean, found: Findings): void {
    if (final) return;
    const at = PARTIAL_KEYWORD.tailStart(window, from);
    if (at !== -1) addHold(found, { start: at, kind: KIND });
  }
}
