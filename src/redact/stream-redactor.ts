// Redacts a stream of text chunks as they come (a PTY's output arrives in pieces): emits at once
// all it can, and holds back only a tail that could be the start of a secret, so split secrets are caught.
// The held tail is bounded in size (MAX_HELD_CHARS, or a key body up to PRIVATE_KEY_CAP) and, through
// flush(), in time: the caller flushes when the stream has been idle for about a second.

import { buildDetectors, type DetectorSet } from './detectors.js';
import { PRIVATE_KEY_CAP } from './key-body.js';
import { awaitsValue } from './keyed-detector.js';
import type { Hit, RedactCounts, RedactOptions } from './types.js';

/** Text already out, as it came in, kept for look-behind: the name before `=`, the character before a token. */
const CONTEXT_CHARS = 256;
/**
 * The most held back outside a private key body: the longest unfinished token (a JWT of 4.5 KB),
 * quoted assignment value (512) or environment value prefix (4 KB). A key body may be held up to
 * PRIVATE_KEY_CAP past its header.
 */
export const MAX_HELD_CHARS = 4_608;
export const MAX_HELD_KEY_CHARS = PRIVATE_KEY_CAP + 256;

export function redactionMarker(kind: string): string {
  return `[REDACTED:${kind}]`;
}

type Mode = 'stream' | 'flush' | 'end';

export class StreamRedactor {
  readonly #detectors: DetectorSet;
  readonly #counts: RedactCounts = {};
  #context = '';
  #pending = '';

  constructor(options: RedactOptions = {}) {
    this.#detectors = buildDetectors(options);
  }

  /** Takes the next chunk; returns the text that is safe to emit now. */
  push(chunk: string): string {
    this.#pending += chunk;
    return this.#drain('stream');
  }

  /**
   * Emits now what is held back, as if an unfinished secret had turned out not to be one (a key block
   * with a body is still redacted, as at the end); the stream goes on. Call it when the stream has been
   * idle for a while (about a second), so that a held tail never waits for output that may not come.
   */
  flush(): string {
    return this.#drain('flush');
  }

  /** Flushes what was held back; an unclosed private key block is redacted to the end. */
  end(): string {
    return this.#drain('end');
  }

  counts(): RedactCounts {
    return { ...this.#counts };
  }

  /** How many characters are held back now (for tests and metrics). */
  get heldLength(): number {
    return this.#pending.length;
  }

  /**
   * Whether the next text may go out without passing push() when it holds nothing for the redactor
   * (clean-runs.ts): not while text is held back (it would come out after what follows it), nor after
   * a separator that a value in the next text would belong to (the keyed rules look back for it).
   */
  get maySkip(): boolean {
    return this.#pending.length === 0 && !awaitsValue(this.#context);
  }

  /** Text that went out without passing push() while maySkip: its end is the look-behind of the next chunk. */
  passed(text: string): void {
    if (!this.maySkip) throw new Error('text went around the redactor while it held some back');
    // A tail as long as the look-behind replaces it whole: no joined string to flatten.
    this.#context =
      text.length >= CONTEXT_CHARS
        ? text.slice(-CONTEXT_CHARS)
        : (this.#context + text).slice(-CONTEXT_CHARS);
  }

  #drain(mode: Mode): string {
    if (this.#pending.length === 0) return '';
    const window = this.#context + this.#pending;
    const from = this.#context.length;
    const final = mode !== 'stream';
    const found = this.#detectors.scan(window, from, final);
    const hits = chooseHits(found.hits);
    const hold = found.hold;
    let cut = window.length;
    // A hold past its bound is given up: no tail may wait longer than a secret can be.
    if (hold !== null && window.length - hold.start <= (hold.block ? MAX_HELD_KEY_CHARS : MAX_HELD_CHARS)) {
      cut = hold.start;
    }
    // A complete secret that an unfinished one would start inside is held whole, never split.
    const straddled = hits.find((hit) => hit.start < cut && hit.end > cut);
    if (straddled !== undefined) cut = straddled.start;
    // Never emit half of a surrogate pair: that would be invalid UTF-8 once written.
    if (
      mode !== 'end' &&
      cut > from &&
      isHighSurrogate(window.charCodeAt(cut - 1)) &&
      !hits.some((h) => h.end === cut)
    ) {
      cut -= 1;
    }

    let out = '';
    let position = from;
    for (const hit of hits) {
      if (hit.end > cut) break;
      out += window.slice(position, hit.start) + redactionMarker(hit.kind);
      this.#counts[hit.kind] = (this.#counts[hit.kind] ?? 0) + 1;
      position = hit.end;
    }
    out += window.slice(position, cut);
    // The look-behind is the text as it came, not as it went out: a name that was itself redacted as the
    // value before it (`A_KEY=password: v`) still names the value after it when a read ends between.
    this.#context = window.slice(Math.max(0, cut - CONTEXT_CHARS), cut);
    this.#pending = window.slice(cut);
    return out;
  }
}

/**
 * Earliest first; of two at one place the longer, then the lower rank. A hit that starts inside the
 * one before and reaches further extends it: overlapping secrets go as one, none half shown.
 */
function chooseHits(found: Hit[]): Hit[] {
  if (found.length < 2) return found;
  const sorted = sortHits(found);
  const chosen: Hit[] = [];
  let last: Hit | undefined;
  for (const hit of sorted) {
    if (last !== undefined && hit.start < last.end) {
      if (hit.end > last.end) last.end = hit.end;
      continue;
    }
    last = { ...hit };
    chosen.push(last);
  }
  return chosen;
}

function compareHits(a: Hit, b: Hit): number {
  return a.start - b.start || b.end - a.end || a.rank - b.rank;
}

/** A window holds a few hits: sorted in place, without the work array Array.prototype.sort makes. */
const INSERTION_SORT_MAX = 16;

function sortHits(hits: Hit[]): Hit[] {
  if (hits.length > INSERTION_SORT_MAX) return hits.sort(compareHits);
  for (let i = 1; i < hits.length; i++) {
    const hit = hits[i]!;
    let j = i - 1;
    for (; j >= 0 && compareHits(hits[j]!, hit) > 0; j--) hits[j + 1] = hits[j]!;
    hits[j + 1] = hit;
  }
  return hits;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
