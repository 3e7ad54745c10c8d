// Teardown.together: the end of a session runs its independent steps side by side, and one that fails
// neither stops the others nor goes unreported.

import { describe, expect, it } from 'vitest';
import { Teardown } from '../../src/sessions/session-teardown.js';

describe('Teardown.together', () => {
  it('starts every step before any ends, and keeps each failure while the others finish', async () => {
    const lines: string[] = [];
    const teardown = new Teardown((line) => lines.push(line));
    const started: string[] = [];
    const finished: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = (name: string) => async () => {
      started.push(name);
      await gate;
      finished.push(name);
    };
    const running = teardown.together([
      ['the final checkpoint', slow('checkpoint')],
      [
        'copying the transcript',
        async () => {
          started.push('transcript');
          throw new Error('the log is gone');
        },
      ],
      ['closing the recording', slow('recording')],
    ]);
    await new Promise((resolve) => setImmediate(resolve));
    // All three are under way while the first still waits: none waited for another.
    expect(started).toEqual(['checkpoint', 'transcript', 'recording']);
    release();
    await running;
    expect(finished).toEqual(['checkpoint', 'recording']);
    expect(teardown.failures).toEqual([{ step: 'copying the transcript', message: 'the log is gone' }]);
    expect(lines).toEqual(['sdd: copying the transcript failed: the log is gone']);
    expect(teardown.note()).toBe('copying the transcript failed: the log is gone');
  });
});
