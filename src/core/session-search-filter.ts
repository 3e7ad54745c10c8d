// A session's trigram filter: one bit per hashed three-character piece of its lowercased text, so a
// search can tell from a few kilobytes, without reading the text, that a session lacks a word (a
// word's pieces are not all there). It may say "maybe" wrongly, never "no" wrongly.

const MIN_BITS = 1 << 13;
const MAX_BITS = 1 << 20;

/** About one bit per character of text, as a power of two: sparse enough to say "no" to most words. */
function bitsFor(length: number): number {
  let bits = MIN_BITS;
  while (bits < length && bits < MAX_BITS) bits *= 2;
  return bits;
}

function trigramHash(text: string, at: number, shift: number): number {
  const packed = (text.charCodeAt(at) * 65599 + text.charCodeAt(at + 1)) * 65599 + text.charCodeAt(at + 2);
  return Math.imul(packed | 0, 0x9e3779b1) >>> shift;
}

/** The filter of `all` (the passages' lowercased text, one a line). */
export function trigramFilter(all: string): Uint8Array {
  const bits = bitsFor(all.length);
  const shift = 32 - Math.log2(bits);
  const filter = new Uint8Array(bits / 8);
  for (let at = 0; at + 2 < all.length; at++) {
    const hash = trigramHash(all, at, shift);
    filter[hash >>> 3]! |= 1 << (hash & 7);
  }
  return filter;
}

/** False when the text `filter` was made of surely lacks one of the (lowercased) terms. */
export function filterMayHold(filter: Uint8Array, terms: string[]): boolean {
  const bits = filter.length * 8;
  if (bits < MIN_BITS || (bits & (bits - 1)) !== 0) return true; // not a filter of ours: no help
  const shift = 32 - Math.log2(bits);
  for (const term of terms) {
    for (let at = 0; at + 2 < term.length; at++) {
      const hash = trigramHash(term, at, shift);
      if ((filter[hash >>> 3]! & (1 << (hash & 7))) === 0) return false;
    }
  }
  return true;
}
