// Session search: which sessions said or showed all the words asked for, where, and when. Pure (text
// in, hits out), so the CLI on a clone's spool and the team server give the same answers.
// A hit is one passage holding every word (any case), or a few neighbouring ones of the same source
// (a terminal line and the next, a question and its answer); hits rank by where they matched and how
// tightly, then by how recent the session is.

import { InvalidInputError } from './errors.js';
import type { SessionRecord } from './session.js';
import type { SearchPassage, SearchSource } from './session-search-text.js';

export type { SearchPassage, SearchSource } from './session-search-text.js';

export interface SessionSearchQuery {
  /** Words and "quoted phrases", as typed. */
  q: string;
  /** Only the sessions of this item (sdd's id). */
  itemId?: string;
  limit?: number;
}

export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 500;
const MAX_TERMS = 16;
const MAX_QUERY_CHARS = 1000;
/** The best hits of one session: more would let one chatty session fill the page. */
const HITS_PER_SESSION = 3;
/** How many neighbouring passages of one source may share the words between them. */
const WINDOW: Record<SearchSource, number> = { marker: 1, note: 1, transcript: 2, terminal: 3 };
/** A marker or a note is what a person wrote to be found again; the screen is the noisiest. */
const SOURCE_WEIGHT: Record<SearchSource, number> = { marker: 3, note: 3, transcript: 2, terminal: 1 };
const SNIPPET_CHARS = 160;
/** Hits of one source in one session looked at to pick its best (see matchPassages). */
const FOUND_PER_SOURCE = 12;
const SNIPPET_BEFORE = 50;

export interface SessionSearchHit {
  sessionId: string;
  itemId: string;
  itemRef: string | null;
  itemTitle: string | null;
  actor: string;
  agent: string;
  startedAt: string;
  status: SessionRecord['status'];
  /** Where it matched. */
  source: SearchSource;
  /** The transcript entry's kind, "marker", "checkpoint", "claim", "item note"... */
  kind: string | null;
  /** A short excerpt holding the words; `highlights` are [start, end) of each word found in it. */
  snippet: string;
  highlights: [number, number][];
  /** Seconds into the recording; null when not known (an item note written outside the session). */
  time: number | null;
  /** The command that shows the moment. */
  replay: string;
  score: number;
}

export interface SessionSearchResult {
  query: string;
  /** The words and phrases matched, lowercased. */
  terms: string[];
  hits: SessionSearchHit[];
  /** Sessions looked at. */
  sessions: number;
  /** Hits beyond the limit, left out. */
  more: number;
}

/** A session's passages, ready to be searched many times: lowercased once, with a quick reject. */
export interface PreparedPassages {
  passages: SearchPassage[];
  /** Every passage lowercased, one a line: a session lacking a word is passed over at once. */
  all: string;
  /** Where each passage starts in `all`. */
  starts: number[];
}

export interface SearchDocument {
  session: SessionRecord;
  itemTitle?: string | null;
  /** From the session's files (cached by whoever keeps them). */
  prepared: PreparedPassages;
  /** From elsewhere (the item's notes), asked for each query. */
  extra?: SearchPassage[];
}

/** `all`: the passages' lowercased text, one a line, when already at hand (a cache on disk keeps it). */
export function preparePassages(passages: SearchPassage[], all?: string): PreparedPassages {
  const text = all ?? passages.map((p) => p.text.toLowerCase()).join('\n');
  const starts = new Array<number>(passages.length);
  let at = 0;
  for (let i = 0; i < passages.length; i++) {
    starts[i] = at;
    const end = text.indexOf('\n', at);
    at = end < 0 ? text.length : end + 1;
  }
  return { passages, all: text, starts };
}

/** The lowercased text of a session's passages (see PreparedPassages.all) holds every term. */
export function mayMatch(all: string, terms: string[]): boolean {
  return terms.every((t) => all.includes(t));
}

/** The words and "quoted phrases" of a query, lowercased, each once. */
export function parseSearchQuery(q: string): string[] {
  if (q.length > MAX_QUERY_CHARS) {
    throw new InvalidInputError(`A search is at most ${MAX_QUERY_CHARS} characters; got ${q.length}.`);
  }
  const terms: string[] = [];
  for (const match of q.matchAll(/"([^"]*)"?|(\S+)/g)) {
    const term = (match[1] ?? match[2] ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
    if (term !== '' && !terms.includes(term)) terms.push(term);
  }
  if (terms.length === 0)
    throw new InvalidInputError('Search for at least one word: `sdd sessions search WORDS...`.');
  if (terms.length > MAX_TERMS) {
    throw new InvalidInputError(`A search takes at most ${MAX_TERMS} words or phrases; got ${terms.length}.`);
  }
  return terms;
}

export function checkSearchLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_SEARCH_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
    throw new InvalidInputError(`--limit is a whole number from 1 to ${MAX_SEARCH_LIMIT}; got ${limit}.`);
  }
  return limit;
}

/** The hits of `documents`, best first. */
export function searchSessions(query: SessionSearchQuery, documents: SearchDocument[]): SessionSearchResult {
  const terms = parseSearchQuery(query.q);
  const hits: SessionSearchHit[] = [];
  let sessions = 0;
  for (const document of documents) {
    if (query.itemId !== undefined && document.session.itemId !== query.itemId) continue;
    sessions++;
    hits.push(...sessionHits(document, terms));
  }
  return rankedResult(query, terms, hits, sessions);
}

/** The result of hits gathered one session at a time (a caller that streams the sessions). */
export function rankedResult(
  query: SessionSearchQuery,
  terms: string[],
  hits: SessionSearchHit[],
  sessions: number,
): SessionSearchResult {
  const limit = checkSearchLimit(query.limit);
  hits.sort(compareHits);
  return {
    query: query.q,
    terms,
    hits: hits.slice(0, limit),
    sessions,
    more: Math.max(0, hits.length - limit),
  };
}

/** Best first: relevance, then the newer session, then the earlier moment in it. */
export function compareHits(a: SessionSearchHit, b: SessionSearchHit): number {
  return (
    b.score - a.score ||
    b.startedAt.localeCompare(a.startedAt) ||
    a.sessionId.localeCompare(b.sessionId) ||
    (a.time ?? 0) - (b.time ?? 0)
  );
}

interface Found {
  passages: SearchPassage[];
  score: number;
}

/** The best hits of one session (at most three), for terms from parseSearchQuery. */
export function sessionHits(document: SearchDocument, terms: string[]): SessionSearchHit[] {
  const found: Found[] = [];
  const { prepared } = document;
  if (mayMatch(prepared.all, terms)) found.push(...matchPassages(prepared, terms));
  const extra = document.extra ?? [];
  if (extra.length > 0) {
    const notes = preparePassages(extra);
    if (mayMatch(notes.all, terms)) found.push(...matchPassages(notes, terms));
  }
  if (found.length === 0) return [];
  // The best few, one per snippet: a line the terminal and the transcript both hold counts once.
  found.sort((a, b) => b.score - a.score || (a.passages[0]!.time ?? 0) - (b.passages[0]!.time ?? 0));
  const hits: SessionSearchHit[] = [];
  const shown = new Set<string>();
  for (const f of found) {
    const hit = hitOf(document, f, terms);
    if (shown.has(hit.snippet)) continue;
    shown.add(hit.snippet);
    hits.push(hit);
    if (hits.length === HITS_PER_SESSION) break;
  }
  return hits;
}

/**
 * Passages holding every term, and windows of neighbours of one source that share them (none of them
 * a hit alone). Only the passages at an occurrence of the rarest term are looked at, in order: a hit
 * holds it. A word on every line of a long session would make thousands of hits, of which three are
 * shown: the first few of each source are enough to rank it.
 */
function matchPassages(prepared: PreparedPassages, terms: string[]): Found[] {
  const { passages, all, starts } = prepared;
  const count = passages.length;
  const full = (1 << terms.length) - 1;
  const masks = new Int32Array(count).fill(-1);
  const maskOf = (i: number): number => {
    if (masks[i]! < 0) {
      const text = lowerOf(prepared, i);
      let mask = 0;
      for (let t = 0; t < terms.length; t++) if (text.includes(terms[t]!)) mask |= 1 << t;
      masks[i] = mask;
    }
    return masks[i]!;
  };
  const single = (i: number) => maskOf(i) === full;
  const taken: Partial<Record<SearchSource, number>> = {};
  const found: Found[] = [];
  const anchor = rarest(all, terms);
  let windowEnd = -1;
  let at = all.indexOf(anchor);
  let p = 0;
  while (at >= 0) {
    while (p + 1 < count && starts[p + 1]! <= at) p++;
    const source = passages[p]!.source;
    if ((taken[source] ?? 0) >= FOUND_PER_SOURCE) {
      let next = p + 1;
      while (next < count && passages[next]!.source === source) next++;
      if (next >= count) break;
      p = next;
      at = all.indexOf(anchor, starts[next]!);
      continue;
    }
    if (single(p)) {
      taken[source] = (taken[source] ?? 0) + 1;
      found.push(foundOf(prepared, terms, p, p));
    } else if (p > windowEnd) {
      const end = windowAround(p);
      if (end !== null) {
        taken[source] = (taken[source] ?? 0) + 1;
        found.push(foundOf(prepared, terms, end[0], end[1]));
        windowEnd = end[1];
      }
    }
    const next = starts[p + 1];
    if (next === undefined) break;
    at = all.indexOf(anchor, next);
  }
  return found;

  /** The first window of neighbours holding every term that takes in passage `p`, after the last one. */
  function windowAround(p: number): [number, number] | null {
    const source = passages[p]!.source;
    const size = WINDOW[source];
    for (let i = Math.max(p - size + 1, windowEnd + 1, 0); i <= p; i++) {
      if (passages[i]!.source !== source || maskOf(i) === 0 || single(i)) continue;
      let mask = 0;
      for (let j = i; j < i + size && j < count; j++) {
        if (passages[j]!.source !== source || (j > i && single(j))) break;
        mask |= maskOf(j);
        if (mask === full && j >= p) return [i, j];
      }
    }
    return null;
  }
}

/** The term found least often in `all` (counting stops once past the fewest so far, or at 64: common). */
function rarest(all: string, terms: string[]): string {
  if (terms.length === 1) return terms[0]!;
  let best = terms[0]!;
  let fewest = 64;
  for (const term of terms) {
    let n = 0;
    for (let at = all.indexOf(term); at >= 0 && n < fewest; at = all.indexOf(term, at + term.length)) n++;
    if (n < fewest) {
      fewest = n;
      best = term;
    }
  }
  return best;
}

function lowerOf(prepared: PreparedPassages, index: number): string {
  const start = prepared.starts[index]!;
  const next = prepared.starts[index + 1];
  return prepared.all.slice(start, next === undefined ? prepared.all.length : next - 1);
}

function foundOf(prepared: PreparedPassages, terms: string[], from: number, to: number): Found {
  const within = prepared.passages.slice(from, to + 1);
  const joined = within.map((_, i) => lowerOf(prepared, from + i)).join(' ');
  const wholeWords = terms.filter((t) => isWholeWord(joined, t)).length / terms.length;
  const tightness = 2 - (to - from);
  const score = SOURCE_WEIGHT[within[0]!.source] + tightness + wholeWords;
  return { passages: within, score: Math.round(score * 100) / 100 };
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

function isWholeWord(text: string, term: string): boolean {
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) {
    const before = at === 0 ? '' : text[at - 1]!;
    const after = text[at + term.length] ?? '';
    if (!WORD_CHAR.test(before) && !WORD_CHAR.test(after)) return true;
  }
  return false;
}

function hitOf(document: SearchDocument, found: Found, terms: string[]): SessionSearchHit {
  const { session } = document;
  const first = found.passages[0]!;
  // The moment the last of the passages had been shown: the screen then holds them all.
  const times = found.passages.map((p) => p.time).filter((t): t is number => t !== null);
  const time = times.length === 0 ? null : Math.ceil(Math.max(...times) * 10) / 10;
  const { snippet, highlights } = snippetOf(found.passages.map((p) => p.text).join(' · '), terms);
  return {
    sessionId: session.id,
    itemId: session.itemId,
    itemRef: session.itemRef,
    itemTitle: document.itemTitle ?? null,
    actor: session.actor,
    agent: session.agent,
    startedAt: session.startedAt,
    status: session.status,
    source: first.source,
    kind: first.kind ?? null,
    snippet,
    highlights,
    time,
    replay: time === null ? `sdd replay ${session.id}` : `sdd replay ${session.id} --at ${time}`,
    score: found.score,
  };
}

/** About SNIPPET_CHARS of the text around its first word found, cut at spaces where it can be, with "…". */
export function snippetOf(
  text: string,
  terms: string[],
): { snippet: string; highlights: [number, number][] } {
  const lower = text.toLowerCase();
  const firstAt = Math.min(...terms.map((t) => lower.indexOf(t)).filter((at) => at >= 0), text.length);
  let start = Math.max(0, firstAt - SNIPPET_BEFORE);
  let end = Math.min(text.length, start + SNIPPET_CHARS);
  if (end === text.length) start = Math.max(0, end - SNIPPET_CHARS);
  if (start > 0) {
    const space = text.indexOf(' ', start);
    if (space >= 0 && space < firstAt) start = space + 1;
  }
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > firstAt) end = space;
  }
  const prefix = start > 0 ? '…' : '';
  const snippet = `${prefix}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
  const shownLower = snippet.toLowerCase();
  const highlights: [number, number][] = [];
  for (const term of terms) {
    for (let at = shownLower.indexOf(term); at >= 0; at = shownLower.indexOf(term, at + term.length)) {
      highlights.push([at, at + term.length]);
    }
  }
  highlights.sort((a, b) => a[0] - b[0]);
  return { snippet, highlights };
}
