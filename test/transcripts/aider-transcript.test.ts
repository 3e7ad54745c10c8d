// Checks that Aider's chat history Markdown becomes the normal form: "#### " lines as the user's, "> " blocks
// as Aider's output, the rest as the reply, times from the "chat started at" header, a chunk without one.

import { describe, expect, it } from 'vitest';
import { parseAiderTranscript } from '../../adapters/aider/transcript-parser.js';
import { fixtureText } from './fixture-text.js';

describe('parseAiderTranscript', () => {
  const file = 'aider-history.md';
  const transcript = parseAiderTranscript(fixtureText(file), file);
  const summary = transcript.entries.map((entry) => [entry.kind, entry.source.line]);

  it('splits the history into header, banner, user, reply and output entries in order', () => {
    expect(transcript.agent).toBe('aider');
    expect(transcript.conversationId).toBeNull();
    expect(summary).toEqual([
      ['system', 2],
      ['system', 4],
      ['user', 10],
      ['assistant', 13],
      ['system', 24],
      ['user', 28],
      ['system', 30],
      ['user', 35],
    ]);
  });

  it('joins consecutive "#### " lines into one user entry, without the Markdown line breaks', () => {
    expect(transcript.entries[2]).toEqual({
      kind: 'user',
      time: '2024-05-01T10:00:00',
      model: null,
      text: 'add a countWords function to src/count.ts\nand export it',
      source: { file, line: 10 },
    });
  });

  it('keeps the whole reply, code fence included, with the model named in the banner', () => {
    const reply = transcript.entries[3];
    expect(reply?.model).toBe('gpt-4o-2024-08-06');
    expect(reply?.time).toBe('2024-05-01T10:00:00');
    expect(reply?.text).toMatch(/^I will add `countWords` and export it\.\n\nsrc\/count\.ts\n```typescript/);
    expect(reply?.text).toContain('> not a quote: part of the edit');
    expect(reply?.text).toMatch(/>>>>>>> REPLACE\n```$/);
  });

  it('makes quoted output one system entry, with unquoted continuation lines', () => {
    expect(transcript.entries[4]?.text).toBe(
      [
        'Tokens: 2.1k sent, 85 received. Cost: $0.0061 message, $0.0061 session.',
        'Applied edit to src/count.ts',
        'Commit 1a2b3c4 feat: Add countWords function',
      ].join('\n'),
    );
    expect(transcript.entries[6]?.text).toBe(
      'Add command output to the chat? (Y)es/(N)o [Yes]: y\nAdded 3 lines of output to the chat.\n1 passing\ndone',
    );
  });

  it('reads an empty input, written as <blank>, as an empty user entry', () => {
    expect(transcript.entries[7]).toMatchObject({ kind: 'user', text: '' });
  });

  it('reads a chunk that starts mid-file, without header: no time, no model', () => {
    const chunk = parseAiderTranscript(fixtureText('aider-history-no-header.md'), 'tail.md');
    expect(chunk.entries.map((entry) => [entry.kind, entry.text, entry.time, entry.source.line])).toEqual([
      ['assistant', 'onal tail of an earlier reply that the session started in the middle of.', null, 1],
      ['user', 'rename it to wordCount', null, 3],
      ['assistant', 'Renamed.', null, 5],
      ['system', 'Applied edit to src/count.ts', null, 7],
    ]);
  });
});
