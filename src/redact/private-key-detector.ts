// Finds PEM private key blocks, BEGIN through END over many lines, and holds a stream from an
// unclosed BEGIN until its END arrives or CAP characters have passed, after which the block is redacted anyway.

import { execAll, partialLiteral } from './regex-parts.js';
import type { Detector, Hit, Hold } from './types.js';

const KIND = 'private-key';
/** Longer than any real key block (an 8192-bit RSA key is about 6.5 KB). */
export const PRIVATE_KEY_CAP = 16_384;

const HEADER = '-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----';
const FOOTER = '-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----';

export class PrivateKeyDetector implements Detector {
  readonly #block = new RegExp(
    `${HEADER}(?:[\\s\\S]{0,${PRIVATE_KEY_CAP}}?${FOOTER}|[\\s\\S]{${PRIVATE_KEY_CAP}})`,
    'g',
  );
  readonly #header = new RegExp(HEADER, 'g');
  readonly #footer = new RegExp(FOOTER, 'g');
  readonly #partialHeader = new RegExp(
    `(?:-----BEGIN[ A-Z0-9_-]{0,130}|${partialLiteral('-----BEGIN')})$`,
    'g',
  );

  find(window: string, from: number): Hit[] {
    return execAll(this.#block, window, from).map((match) => ({
      start: match.index,
      end: match.index + match[0].length,
      kind: KIND,
    }));
  }

  hold(window: string, from: number): Hold | null {
    this.#header.lastIndex = from;
    for (let header = this.#header.exec(window); header !== null; header = this.#header.exec(window)) {
      const bodyStart = header.index + header[0].length;
      this.#footer.lastIndex = bodyStart;
      const footer = this.#footer.exec(window);
      if (footer !== null && footer.index - bodyStart <= PRIVATE_KEY_CAP) {
        this.#header.lastIndex = footer.index + footer[0].length;
        continue;
      }
      // Past the cap, find() has already taken the block: look for the next header after it.
      if (window.length - bodyStart >= PRIVATE_KEY_CAP) {
        this.#header.lastIndex = bodyStart + PRIVATE_KEY_CAP;
        continue;
      }
      return { start: header.index, kind: KIND, block: true };
    }
    this.#partialHeader.lastIndex = Math.max(from, window.length - 150);
    const partial = this.#partialHeader.exec(window);
    return partial === null ? null : { start: partial.index, kind: KIND };
  }
}
