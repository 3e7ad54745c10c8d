// Redacts a stream of text chunks as they come (a PTY's output arrives in pieces): emits at once
// all it can, and holds back only a tail that could be the start of a secret, so split secrets are caught.

import { buildDetectors } from './detectors.js';
import type { Detector, Hit, Hold, RedactCounts, RedactOptions } from './types.js';

/** Emitted text kept for look-behind: the name before `=` and the character before a token. */
const CONTEXT_CHARS = 256;

export function redactionMarker(kind: string): string {
  return `[REDACTED:${kind}]`;
}

export class StreamRedactor {
  readonly #detectors: Detector[];
  readonly #counts: RedactCounts = {};
  #context = '';
  #pending = '';

  constructor(options: RedactOptions = {}) {
    this.#detectors = buildDetectors(options);
  }

  /** Takes the next chunk; returns the text that is safe to emit now. */
  push(chunk: string): string {
    this.#pending += chunk;
    return this.#drain(false);
  }

  /** Flushes what was held back; an unclosed private key block is redacted to the end. */
  end(): string {
    return this.#drain(true);
  }

  counts(): RedactCounts {
    return { ...this.#counts };
  }

  /** How many characters are held back now (for tests and metrics). */
  get heldLength(): number {
    return this.#pending.length;
  }

  #drain(final: boolean): string {
    if (this.#pending.length === 0) return '';
    const window = this.#context + this.#pending;
    const from = this.#context.length;
    const hits = chooseHits(this.#detectors.flatMap((detector) => detector.find(window, from)));
    const hold = this.#earliestHold(window, from, final);
    let cut = hold?.start ?? window.length;

    if (hold?.block && final) {
      // The stream ended inside a key block: the rest of it goes, along with any hit it cuts into.
      const straddled = hits.find((hit) => hit.start < cut && hit.end > cut);
      const start = straddled?.start ?? cut;
      hits.splice(0, hits.length, ...hits.filter((hit) => hit.end <= start), {
        start,
        end: window.length,
        kind: hold.kind,
      });
      cut = window.length;
    }
    // A complete secret that an unfinished one would start inside is held whole, never split.
    const straddled = hits.find((hit) => hit.start < cut && hit.end > cut);
    if (straddled !== undefined) cut = straddled.start;
    // Never emit half of a surrogate pair: that would be invalid UTF-8 once written.
    if (
      !final &&
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
    this.#context = (this.#context + out).slice(-CONTEXT_CHARS);
    this.#pending = window.slice(cut);
    return out;
  }

  #earliestHold(window: string, from: number, final: boolean): Hold | null {
    let earliest: Hold | null = null;
    for (const detector of this.#detectors) {
      const hold = detector.hold(window, from);
      if (hold === null || (final && !hold.block)) continue;
      if (earliest === null || hold.start < earliest.start) earliest = hold;
    }
    return earliest;
  }
}

/** Earliest first; of two at one place the longer, then the detector listed first; no overlaps. */
function chooseHits(found: Hit[]): Hit[] {
  const sorted = found
    .map((hit, order) => ({ hit, order }))
    .sort((a, b) => a.hit.start - b.hit.start || b.hit.end - a.hit.end || a.order - b.order);
  const chosen: Hit[] = [];
  let reached = 0;
  for (const { hit } of sorted) {
    if (hit.start < reached) continue;
    chosen.push(hit);
    reached = hit.end;
  }
  return chosen;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
