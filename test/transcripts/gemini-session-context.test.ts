// Checks that a Gemini CLI chat reads true: the <session_context> Gemini CLI sends as the first user turn is
// meta, apart from what the person typed, and the model's thoughts are kept as thinking.

import { describe, expect, it } from 'vitest';
import { parseGeminiTranscript } from '../../adapters/gemini/transcript-parser.js';
import { fixtureText } from './fixture-text.js';

const file = 'gemini-session-context.jsonl';
const transcript = parseGeminiTranscript(fixtureText(file), file);
const byLine = (line: number) =>
  transcript.entries.filter((entry) => entry.source.line === line).map((entry) => [entry.kind, entry.text]);

describe('parseGeminiTranscript on session context and thoughts', () => {
  it('makes a user message that is only <session_context> meta', () => {
    expect(byLine(2)).toEqual([
      ['meta', expect.stringMatching(/^<session_context>\nThis is the Gemini CLI/)],
    ]);
  });

  it("splits a message holding context and the person's words into meta and user", () => {
    expect(byLine(3)).toEqual([
      ['meta', expect.stringMatching(/^<session_context>/)],
      ['user', 'Explain src/count.ts'],
    ]);
  });

  it('keeps the thoughts of a reply as one thinking entry before it, at the time of the first thought', () => {
    expect(byLine(4)).toEqual([
      ['thinking', 'Reading the file: The file exports countWords.\n\nAnswering: Keep it short.'],
      ['assistant', 'It counts the words of a string.'],
    ]);
    const thinking = transcript.entries.find((entry) => entry.kind === 'thinking');
    expect(thinking).toMatchObject({ time: '2025-11-06T10:00:07.000Z', model: 'gemini-2.5-pro' });
  });

  it('makes parts marked thought thinking, not part of the reply', () => {
    expect(byLine(5)).toEqual([
      ['thinking', 'Maybe check for empty strings.'],
      ['assistant', 'Done.'],
    ]);
  });

  it('leaves an ordinary user message the user speaking', () => {
    expect(byLine(6)).toEqual([['user', 'Thanks']]);
  });
});
