// Session search's pure part: the terminal's text from a cast, the passages of events and notes, and
// the matching and ranking of hits.

import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/session.js';
import {
  parseSearchQuery,
  preparePassages,
  type SearchDocument,
  type SearchPassage,
  searchSessions,
} from '../../src/core/session-search.js';
import { filterMayHold, trigramFilter } from '../../src/core/session-search-filter.js';
import {
  CastText,
  eventPassages,
  itemNotePassages,
  terminalLines,
} from '../../src/core/session-search-text.js';
import { sessionRecord } from '../contract/session-store-contract.js';

const cast = (events: [number, string, string][], header: object = { version: 2, width: 80, height: 24 }) =>
  [JSON.stringify(header), ...events.map((e) => JSON.stringify(e))].join('\n');

function documentOf(
  session: SessionRecord,
  passages: SearchPassage[],
  extra: SearchPassage[] = [],
): SearchDocument {
  return { session, prepared: preparePassages(passages), extra };
}

const terminal = (text: string, time: number): SearchPassage => ({ source: 'terminal', text, time });

describe('the terminal text of a cast', () => {
  it('takes the escape sequences out and keeps the lines, each at the moment it was complete', () => {
    const lines = terminalLines(
      cast([
        [0.5, 'o', '\x1b]0;my title\x07\x1b[1;31mError:\x1b[0m connection '],
        [1.25, 'o', 'refused\r\n'],
        [2, 'i', 'typed secret\r'],
        [3, 'o', 'next line\n'],
      ]),
    );
    expect(lines).toEqual([
      { source: 'terminal', text: 'Error: connection refused', time: 1.25 },
      { source: 'terminal', text: 'next line', time: 3 },
    ]);
  });

  it('keeps a sequence split across two events whole, and words a TUI placed apart apart', () => {
    const lines = terminalLines(
      cast([
        [0.1, 'o', 'left\x1b['],
        [0.2, 'o', '10Cright\x1b[2;1Hbelow\x1b[K\n'],
      ]),
    );
    expect(lines.map((l) => l.text)).toEqual(['left right', 'below']);
  });

  it('keeps a line shown again (a redraw) once, at its first showing', () => {
    const lines = terminalLines(
      cast([
        [1, 'o', 'status: ok\n'],
        [2, 'o', '\x1b[Hstatus: ok\n'],
      ]),
    );
    expect(lines).toEqual([{ source: 'terminal', text: 'status: ok', time: 1 }]);
  });

  it('sums the intervals of a v3 cast, and skips a torn last line', () => {
    const text = `${cast(
      [
        [1, 'o', 'one\n'],
        [0.5, 'o', 'two\n'],
      ],
      { version: 3, term: { cols: 80, rows: 24 } },
    )}\n[0.3, "o", "thr`;
    expect(terminalLines(text)).toEqual([
      { source: 'terminal', text: 'one', time: 1 },
      { source: 'terminal', text: 'two', time: 1.5 },
    ]);
  });

  it('reads a cast given in pieces (cut anywhere) as it reads it whole', () => {
    const text = cast([
      [0.5, 'o', '\x1b[1mbold\x1b[0m start '],
      [1, 'o', 'of a line\r\nsecond \x1b[5Cline\n'],
      [2, 'o', 'third\n'],
    ]);
    for (const cut of [1, 7, 30, 61, text.length - 3]) {
      const reader = new CastText();
      reader.push(text.slice(0, cut));
      reader.push(text.slice(cut));
      expect(reader.end()).toEqual(terminalLines(text));
    }
  });

  it('reads nothing from a file that is no cast', () => {
    expect(terminalLines('not json\n[1,"o","x\\n"]')).toEqual([]);
  });
});

describe('passages of events and notes', () => {
  it('takes markers, hand-taken checkpoints and the notes of claims and status changes', () => {
    const passages = eventPassages([
      { type: 'marker', time: 4, at: '', label: 'found  the\nbug' },
      {
        type: 'checkpoint',
        time: 5,
        at: '',
        commit: 'c',
        trigger: 'manual',
        message: 'before refactor',
        files: 0,
        insertions: 0,
        deletions: 0,
        paths: [],
      },
      {
        type: 'checkpoint',
        time: 6,
        at: '',
        commit: 'd',
        trigger: 'burst',
        message: 'auto',
        files: 0,
        insertions: 0,
        deletions: 0,
        paths: [],
      },
      { type: 'claim', time: 7, at: '', action: 'failed', note: 'tests hang' },
    ]);
    expect(passages).toEqual([
      { source: 'marker', text: 'found the bug', time: 4, kind: 'marker' },
      { source: 'marker', text: 'before refactor', time: 5, kind: 'checkpoint' },
      { source: 'note', text: 'tests hang', time: 7, kind: 'claim' },
    ]);
  });

  it("gives an item's note to the session running when it was written, with that moment", () => {
    const early = sessionRecord({
      itemId: 'sd-1',
      startedAt: '2026-12-01T10:00:00.000Z',
      endedAt: '2026-12-01T10:10:00.000Z',
    });
    const late = sessionRecord({ itemId: 'sd-1', startedAt: '2026-12-01T11:00:00.000Z', endedAt: null });
    const other = sessionRecord({ itemId: 'sd-2', startedAt: '2026-12-01T10:00:00.000Z' });
    const given = itemNotePassages(
      [early, late, other],
      [
        {
          id: 'sd-1',
          notes: [
            { author: 'bob', at: '2026-12-01T10:01:30.000Z', text: 'during the first' },
            { author: 'bob', at: '2026-12-01T10:30:00.000Z', text: 'between them' },
            { author: 'bob', at: '2026-12-01T09:00:00.000Z', text: 'before any' },
          ],
        },
      ],
    );
    expect(given.get(early.id)).toEqual([
      { source: 'note', text: 'bob: during the first', time: 90, kind: 'item note' },
      { source: 'note', text: 'bob: between them', time: null, kind: 'item note' },
      { source: 'note', text: 'bob: before any', time: null, kind: 'item note' },
    ]);
    expect(given.has(late.id)).toBe(false);
    expect(given.has(other.id)).toBe(false);
  });
});

describe('searching', () => {
  it('needs every word, in any case, and says where and when it matched', () => {
    const session = sessionRecord();
    const docs = [
      documentOf(session, [terminal('The Rate LIMIT was hit', 12.34), terminal('rate only', 13)]),
    ];
    const result = searchSessions({ q: 'rate limit' }, docs);
    expect(result.hits).toHaveLength(1);
    expect(result.hits[0]).toMatchObject({
      sessionId: session.id,
      source: 'terminal',
      snippet: 'The Rate LIMIT was hit',
      highlights: [
        [4, 8],
        [9, 14],
      ],
      time: 12.4,
      replay: `sdd replay ${session.id} --at 12.4`,
    });
    expect(searchSessions({ q: 'rate nothing' }, docs).hits).toEqual([]);
  });

  it('matches words on neighbouring lines, but not on lines far apart', () => {
    const session = sessionRecord();
    const near = [terminal('connection', 1), terminal('refused', 2)];
    expect(searchSessions({ q: 'connection refused' }, [documentOf(session, near)]).hits).toHaveLength(1);
    const far = [terminal('connection', 1), terminal('a', 2), terminal('b', 3), terminal('refused', 4)];
    expect(searchSessions({ q: 'connection refused' }, [documentOf(session, far)]).hits).toEqual([]);
  });

  it('takes a quoted phrase as one term', () => {
    expect(parseSearchQuery('"Rate   limit" retry retry')).toEqual(['rate limit', 'retry']);
    const session = sessionRecord();
    const docs = [documentOf(session, [terminal('limit rate', 1)])];
    expect(searchSessions({ q: '"rate limit"' }, docs).hits).toEqual([]);
    expect(searchSessions({ q: 'rate limit' }, docs).hits).toHaveLength(1);
  });

  it('ranks a marker above the terminal, one line above two, then the newer session first', () => {
    const older = sessionRecord({ startedAt: '2026-12-01T09:00:00.000Z' });
    const newer = sessionRecord({ startedAt: '2026-12-01T10:00:00.000Z' });
    const marked = sessionRecord({ startedAt: '2026-12-01T08:00:00.000Z' });
    const split = sessionRecord({ startedAt: '2026-12-01T11:00:00.000Z' });
    const result = searchSessions({ q: 'deploy failed' }, [
      documentOf(older, [terminal('deploy failed', 1)]),
      documentOf(newer, [terminal('deploy failed', 1)]),
      documentOf(marked, [{ source: 'marker', text: 'deploy failed', time: 3 }]),
      documentOf(split, [terminal('deploy', 1), terminal('failed', 2)]),
    ]);
    expect(result.hits.map((h) => h.sessionId)).toEqual([marked.id, newer.id, older.id, split.id]);
  });

  it('gives at most three hits of one session, each snippet once, and counts what the limit left out', () => {
    const session = sessionRecord();
    const lines = Array.from({ length: 10 }, (_, i) => terminal(`error number ${i}`, i));
    const transcript: SearchPassage = {
      source: 'transcript',
      text: 'error number 0',
      time: 0,
      kind: 'assistant',
    };
    const result = searchSessions({ q: 'error' }, [documentOf(session, [transcript, ...lines])]);
    expect(result.hits).toHaveLength(3);
    expect(new Set(result.hits.map((h) => h.snippet)).size).toBe(3);
    const others = Array.from({ length: 5 }, () => documentOf(sessionRecord(), [terminal('error', 1)]));
    const limited = searchSessions({ q: 'error', limit: 2 }, others);
    expect(limited.hits).toHaveLength(2);
    expect(limited.more).toBe(3);
    expect(limited.sessions).toBe(5);
  });

  it("finds an item's note, and only the item's sessions with itemId", () => {
    const mine = sessionRecord({ itemId: 'sd-7' });
    const theirs = sessionRecord({ itemId: 'sd-8' });
    const note: SearchPassage = { source: 'note', text: 'bob: flaky on CI', time: null, kind: 'item note' };
    const docs = [documentOf(mine, [], [note]), documentOf(theirs, [terminal('flaky on CI', 1)])];
    const all = searchSessions({ q: 'flaky' }, docs);
    expect(all.hits.map((h) => h.source)).toEqual(['note', 'terminal']);
    expect(all.hits[0]!.replay).toBe(`sdd replay ${mine.id}`);
    const one = searchSessions({ q: 'flaky', itemId: 'sd-8' }, docs);
    expect(one.hits.map((h) => h.sessionId)).toEqual([theirs.id]);
    expect(one.sessions).toBe(1);
  });

  it('cuts a long passage to a snippet around the words', () => {
    const long = `${'a '.repeat(200)}needle here ${'b '.repeat(200)}`;
    const [hit] = searchSessions({ q: 'needle' }, [documentOf(sessionRecord(), [terminal(long, 1)])]).hits;
    expect(hit!.snippet.length).toBeLessThan(170);
    expect(hit!.snippet).toMatch(/^….*needle here.*…$/);
    const [start, end] = hit!.highlights[0]!;
    expect(hit!.snippet.slice(start, end)).toBe('needle');
  });

  it('refuses an empty query and a bad limit as bad input', () => {
    expect(() => searchSessions({ q: '  ' }, [])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => searchSessions({ q: 'x', limit: 0 }, [])).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});

describe('the trigram filter', () => {
  it('never says no to a word the text holds, and says no to most it lacks', () => {
    const words = Array.from({ length: 3000 }, (_, i) => `word${i.toString(36)}`);
    const all = words.slice(0, 1500).join(' ').toLowerCase();
    const filter = trigramFilter(all);
    for (const word of words.slice(0, 1500)) expect(filterMayHold(filter, [word])).toBe(true);
    expect(filterMayHold(filter, ['d1 word2'])).toBe(true); // a piece across a space
    const lacking = ['zebra', 'quartz', 'connection refused', 'xylophone', 'jumps over'];
    expect(lacking.filter((w) => filterMayHold(filter, [w])).length).toBeLessThanOrEqual(1);
  });

  it('cannot tell for words shorter than three characters, nor from bytes that are no filter', () => {
    const filter = trigramFilter('hello world');
    expect(filterMayHold(filter, ['zz'])).toBe(true);
    expect(filterMayHold(new Uint8Array(10), ['zebra'])).toBe(true);
  });
});
