// Checks that Claude Code's session log becomes the normal form: streamed blocks of one message merged,
// tool calls and results paired by id, compaction and caveats as system entries, messy lines kept.

import { describe, expect, it } from 'vitest';
import { parseClaudeCodeTranscript } from '../../adapters/claude-code/transcript-parser.js';
import { fixtureText } from './fixture-text.js';

const file = 'claude-code-session.jsonl';
const transcript = parseClaudeCodeTranscript(fixtureText(file), file);
const byLine = (line: number) => transcript.entries.filter((entry) => entry.source.line === line);

describe('parseClaudeCodeTranscript', () => {
  it('takes the conversation id from sessionId', () => {
    expect(transcript.agent).toBe('claude-code');
    expect(transcript.conversationId).toBe('7f3c9a52-1b4e-4c1a-9d3e-2f6a8b0c4d11');
  });

  it('reads the user prompt with its time and line', () => {
    expect(byLine(3)).toEqual([
      {
        kind: 'user',
        time: '2025-09-02T09:14:05.481Z',
        model: null,
        text: 'Add a word counter to src/count.ts and run the tests',
        source: { file, line: 3 },
      },
    ]);
  });

  it('merges the streamed text blocks of one message id into one assistant entry', () => {
    const assistant = transcript.entries.filter((entry) => entry.kind === 'assistant');
    expect(assistant[0]).toEqual({
      kind: 'assistant',
      time: '2025-09-02T09:14:08.950Z',
      model: 'claude-sonnet-4-20250514',
      text: "I'll add the counter first.\n\nThen I'll run the tests.",
      source: { file, line: 5 },
    });
    expect(byLine(6)).toEqual([]);
  });

  it('makes a tool_use block a tool_call with its name, id and input', () => {
    const [call] = byLine(7);
    expect(call?.kind).toBe('tool_call');
    expect(call?.model).toBe('claude-sonnet-4-20250514');
    expect(call?.tool).toEqual({
      name: 'Bash',
      callId: 'toolu_01Bash',
      input: { command: 'npm test', description: 'Run the tests' },
    });
    expect(call?.text).toContain('Bash');
  });

  it('makes a tool_result in a user record a tool_result answering the call', () => {
    const [result] = byLine(8);
    expect(result?.kind).toBe('tool_result');
    expect(result?.text).toBe('1 failing: countWords is not defined');
    expect(result?.result).toEqual({ callId: 'toolu_01Bash', isError: true });
    expect(result?.time).toBe('2025-09-02T09:14:15.333Z');
  });

  it('starts a new assistant entry for a new message id', () => {
    expect(byLine(12).map((entry) => [entry.kind, entry.text])).toEqual([
      ['assistant', 'The function is missing; writing it now.'],
    ]);
  });

  it('notes the compaction boundary and the compact summary as system entries', () => {
    const [boundary] = byLine(13);
    expect(boundary?.kind).toBe('system');
    expect(boundary?.text).toMatch(/^Conversation compacted \(auto, 155312 tokens before\)/);
    const [summary] = byLine(14);
    expect(summary?.kind).toBe('system');
    expect(summary?.text).toMatch(
      /^Conversation compacted; summary given to the model:\nThis session is being/,
    );
  });

  it('makes isMeta user messages and the session summary meta entries', () => {
    expect(byLine(2)[0]?.kind).toBe('meta');
    expect(byLine(1)[0]).toMatchObject({
      kind: 'meta',
      text: 'summary: Notes app: add a word counter',
      recordType: 'summary',
    });
  });

  it('makes a file-history snapshot one meta line and a thinking block a thinking entry', () => {
    expect(byLine(9)).toEqual([
      expect.objectContaining({
        kind: 'meta',
        text: 'file-history-snapshot',
        recordType: 'file-history-snapshot',
      }),
    ]);
    expect(byLine(4)).toEqual([
      expect.objectContaining({
        kind: 'thinking',
        text: 'The user wants a word counter.',
        model: 'claude-sonnet-4-20250514',
      }),
    ]);
  });

  it('keeps malformed, empty, unknown and truncated lines as unknown with the raw line', () => {
    const text = fixtureText(file).split('\n');
    for (const line of [10, 11, 15, 16]) {
      expect(byLine(line)).toEqual([
        expect.objectContaining({ kind: 'unknown', raw: text[line - 1], source: { file, line } }),
      ]);
    }
  });

  it('makes turn_duration telemetry a meta line but keeps a system record without text as unknown', () => {
    const lines = [
      '{"type":"system","subtype":"turn_duration","durationMs":88947,"timestamp":"2025-09-02T09:15:00.000Z"}',
      '{"type":"system","subtype":"api_error","level":"error","timestamp":"2025-09-02T09:15:01.000Z"}',
    ];
    const parsed = parseClaudeCodeTranscript(lines.join('\n'), 'x.jsonl');
    expect(parsed.entries).toEqual([
      expect.objectContaining({ kind: 'meta', text: 'turn took 88.9s', recordType: 'system/turn_duration' }),
      expect.objectContaining({ kind: 'unknown', raw: lines[1], source: { file: 'x.jsonl', line: 2 } }),
    ]);
  });

  it('never throws on text that is not a log at all', () => {
    const parsed = parseClaudeCodeTranscript('not json\n[1,2]\n{"type":"assistant"}\n', 'x.jsonl');
    expect(parsed.entries.map((entry) => entry.kind)).toEqual(['unknown', 'unknown', 'unknown']);
  });
});
