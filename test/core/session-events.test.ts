// Parsing a session's events.jsonl the same way for every front end.

import { describe, expect, it } from 'vitest';
import { checkpointsOf, parseSessionEvents } from '../../src/core/session-events.js';

const marker = { type: 'marker', time: 1, at: '2026-12-01T12:00:01.000Z', label: 'tests pass' };
const checkpoint = {
  type: 'checkpoint',
  time: 2,
  at: '2026-12-01T12:00:02.000Z',
  commit: 'c'.repeat(40),
  trigger: 'manual',
  message: 'first',
  files: 1,
  insertions: 1,
  deletions: 0,
  paths: [{ path: 'a.txt', status: 'A' }],
};

describe('parseSessionEvents', () => {
  it('reads one event a line and leaves out a last line cut short', () => {
    const text = `${JSON.stringify(marker)}\n\n${JSON.stringify(checkpoint)}\n{"type":"mar`;
    expect(parseSessionEvents(text)).toEqual([marker, checkpoint]);
  });

  it('reads nothing from an empty file', () => {
    expect(parseSessionEvents('')).toEqual([]);
  });
});

describe('checkpointsOf', () => {
  it('keeps the checkpoints in order, so SESSION@N is the N-th', () => {
    const events = parseSessionEvents(
      [checkpoint, marker, { ...checkpoint, message: 'second' }].map((e) => JSON.stringify(e)).join('\n'),
    );
    expect(checkpointsOf(events).map((c) => c.message)).toEqual(['first', 'second']);
  });
});
