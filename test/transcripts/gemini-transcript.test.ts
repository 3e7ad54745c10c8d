// Checks that a Gemini CLI chat recording becomes the normal form: the JSONL upsert log replayed ($set,
// $rewindTo, messages rewritten in place), the legacy single-JSON file, and messy lines kept.

import { describe, expect, it } from 'vitest';
import { parseGeminiTranscript } from '../../adapters/gemini/transcript-parser.js';
import { fixtureText } from './fixture-text.js';

const file = 'gemini-session.jsonl';
const transcript = parseGeminiTranscript(fixtureText(file), file);
const kinds = (entries: { kind: string; text: string }[]) => entries.map((entry) => [entry.kind, entry.text]);

describe('parseGeminiTranscript (JSONL)', () => {
  it('takes the conversation id from the metadata line and its latest $set', () => {
    expect(transcript.agent).toBe('gemini');
    expect(transcript.conversationId).toBe('3f0c2d9e-5a41-4b7e-9c11-8d2e6f7a9b31');
  });

  it('reads the user prompt from its parts', () => {
    expect(transcript.entries[0]).toEqual({
      kind: 'user',
      time: '2025-10-31T09:00:05.000Z',
      model: null,
      text: 'Run the tests and tell me what fails',
      source: { file, line: 2 },
    });
  });

  it('shows a message rewritten several times once, in its first place, as last written', () => {
    const fromMessage = transcript.entries.filter((entry) => entry.source.line === 7);
    expect(kinds(fromMessage)).toEqual([
      ['thinking', 'Planning: Run tests, then fix.'],
      ['assistant', "I'll run the tests first."],
      ['tool_call', expect.stringContaining('run_shell_command')],
      ['tool_result', expect.stringContaining('Output: 1 failing')],
    ]);
    expect(transcript.entries[1]).toMatchObject({
      model: 'gemini-2.5-pro',
      time: '2025-10-31T09:00:09.000Z',
    });
    expect(transcript.entries[2]).toMatchObject({
      model: 'gemini-2.5-pro',
      time: '2025-10-31T09:00:09.500Z',
    });
    expect(transcript.entries.filter((entry) => [4, 5, 6].includes(entry.source.line))).toEqual([]);
  });

  it('reads a tool call with its args and its result paired by id', () => {
    const call = transcript.entries.find((entry) => entry.kind === 'tool_call');
    expect(call?.tool).toEqual({
      name: 'run_shell_command',
      callId: 'run_shell_command-1761900010123-4b2a',
      input: { command: 'npm test', description: 'Run the test suite' },
    });
    expect(call?.time).toBe('2025-10-31T09:00:10.123Z');
    const result = transcript.entries.find((entry) => entry.kind === 'tool_result');
    expect(result?.result).toEqual({ callId: 'run_shell_command-1761900010123-4b2a', isError: false });
  });

  it('drops the rewound messages, target included, and notes the rewind', () => {
    const texts = transcript.entries.map((entry) => entry.text);
    expect(texts).not.toContain('Delete the test');
    expect(texts).not.toContain('Deleting it.');
    const rewind = transcript.entries.find((entry) => entry.source.line === 11);
    expect(rewind).toMatchObject({ kind: 'system', text: expect.stringContaining('2 message(s) removed') });
  });

  it('continues after the rewind, with info messages as system and the model of each reply', () => {
    const after = transcript.entries.filter((entry) => entry.source.line >= 12 && entry.source.line <= 14);
    expect(after.map((entry) => [entry.kind, entry.text, entry.model])).toEqual([
      ['user', 'Fix the function instead', null],
      ['system', 'Switched to fallback model gemini-2.5-flash', null],
      ['assistant', 'Fixed countWords.', 'gemini-2.5-flash'],
    ]);
  });

  it('makes $set lines and the metadata line no entries', () => {
    expect(transcript.entries.filter((entry) => [1, 3, 15].includes(entry.source.line))).toEqual([]);
  });

  it('keeps unknown records, unknown message types, empty and truncated lines as unknown with the raw line', () => {
    const text = fixtureText(file).split('\n');
    for (const line of [16, 17, 18, 19]) {
      expect(transcript.entries.filter((entry) => entry.source.line === line)).toEqual([
        expect.objectContaining({ kind: 'unknown', raw: text[line - 1], source: { file, line } }),
      ]);
    }
  });

  it('replaces the history when $set carries messages, as Gemini CLI does after compression', () => {
    const lines = [
      { sessionId: 's', projectHash: 'h', startTime: '2025-10-31T09:00:00.000Z' },
      { id: 'a', timestamp: '2025-10-31T09:00:01.000Z', type: 'user', content: 'first' },
      { id: 'b', timestamp: '2025-10-31T09:00:02.000Z', type: 'gemini', content: 'long answer' },
      {
        $set: {
          messages: [{ id: 'c', timestamp: '2025-10-31T09:00:03.000Z', type: 'user', content: 'summary' }],
        },
      },
    ];
    const parsed = parseGeminiTranscript(lines.map((line) => JSON.stringify(line)).join('\n'), 'c.jsonl');
    expect(kinds(parsed.entries)).toEqual([
      ['user', 'summary'],
      ['system', 'Gemini CLI rewrote the conversation history: 2 message(s) removed, 1 added'],
    ]);
  });
});

describe('parseGeminiTranscript (legacy single JSON)', () => {
  const legacyFile = 'gemini-session-legacy.json';
  const legacy = parseGeminiTranscript(fixtureText(legacyFile), legacyFile);

  it('reads the conversation id and every message, pointing at the line of its id', () => {
    expect(legacy.conversationId).toBe('c6a1f0e2-7d3b-4e88-a1f2-0b9d8c7e6f54');
    expect(legacy.entries.map((entry) => [entry.kind, entry.source.line])).toEqual([
      ['user', 8],
      ['tool_call', 14],
      ['tool_result', 14],
      ['assistant', 53],
      ['system', 62],
    ]);
  });

  it('skips the empty text of a tool-only turn and marks a failed tool as an error', () => {
    expect(legacy.entries[1]?.tool).toEqual({
      name: 'read_file',
      callId: 'read_file-1755007204000-1a',
      input: { absolute_path: '/home/ana/notes/package.json' },
    });
    expect(legacy.entries[2]).toMatchObject({
      text: 'File not found: /home/ana/notes/package.json',
      result: { callId: 'read_file-1755007204000-1a', isError: true },
    });
    expect(legacy.entries[4]?.text).toBe('error: Quota exceeded');
  });
});
