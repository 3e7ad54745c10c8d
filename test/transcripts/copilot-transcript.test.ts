// Checks that a Copilot CLI event log becomes the normal form: tool requests as calls (not repeated by their
// execution start), results paired by id, the model followed through changes, messy lines kept.

import { describe, expect, it } from 'vitest';
import { parseCopilotTranscript } from '../../adapters/copilot/transcript-parser.js';
import { fixtureText } from './fixture-text.js';

const file = 'copilot-events.jsonl';
const transcript = parseCopilotTranscript(fixtureText(file), file);
const byLine = (line: number) => transcript.entries.filter((entry) => entry.source.line === line);

describe('parseCopilotTranscript', () => {
  it('takes the conversation id from session.start', () => {
    expect(transcript.agent).toBe('copilot');
    expect(transcript.conversationId).toBe('0cb916db-26aa-40f2-86b5-1ba81b225fd2');
  });

  it('reads the user prompt as typed, not the content the harness transformed', () => {
    expect(byLine(4)).toEqual([
      {
        kind: 'user',
        time: '2026-05-21T10:00:01.000Z',
        model: null,
        text: 'Add a word counter and run the tests',
        source: { file, line: 4 },
      },
    ]);
  });

  it('makes an assistant message its text and its tool requests, with the model of the last model change', () => {
    const [text, call] = byLine(6);
    expect(text).toMatchObject({
      kind: 'assistant',
      text: "I'll run the tests first.",
      model: 'claude-sonnet-4.5',
    });
    expect(call).toMatchObject({
      kind: 'tool_call',
      model: 'claude-sonnet-4.5',
      tool: {
        name: 'bash',
        callId: 'toolu_vrtx_01Bash',
        input: { command: 'npm test', description: 'Run the tests' },
      },
    });
  });

  it('does not repeat a requested call at its execution start', () => {
    expect(byLine(7)).toEqual([]);
    expect(byLine(10)).toEqual([]);
  });

  it('makes a failed execution an error result answering the call', () => {
    expect(byLine(8)).toEqual([
      expect.objectContaining({
        kind: 'tool_result',
        text: '1 failing: countWords is not defined',
        result: { callId: 'toolu_vrtx_01Bash', isError: true },
      }),
    ]);
    expect(byLine(11)[0]).toMatchObject({ text: 'File src/count.ts updated.', result: { isError: false } });
  });

  it('reads arguments logged as JSON text, and skips the empty text of a tools-only message', () => {
    expect(byLine(9).map((entry) => entry.kind)).toEqual(['tool_call']);
    expect(byLine(9)[0]!.tool!.input).toMatchObject({ path: 'src/count.ts' });
  });

  it('keeps an execution nobody requested as a call, and follows the model change', () => {
    expect(byLine(14)[0]).toMatchObject({ kind: 'tool_call', model: 'gpt-5', tool: { callId: 'user_1' } });
    expect(byLine(15)[0]).toMatchObject({
      kind: 'assistant',
      model: 'gpt-5',
      text: 'The counter is written and the tests pass.',
    });
  });

  it('makes session errors system entries and skips bookkeeping events', () => {
    expect(byLine(16)[0]).toMatchObject({ kind: 'system', text: 'Error: Rate limit exceeded; retrying' });
    for (const line of [1, 2, 3, 5, 13]) expect(byLine(line)).toEqual([]);
  });

  it('keeps reasoning as thinking with the model of the turn, and hook events as meta lines', () => {
    const event = (type: string, data: object) =>
      JSON.stringify({ type, id: type, timestamp: '2025-10-01T10:00:00.000Z', parentId: null, data });
    const parsed = parseCopilotTranscript(
      [
        event('session.model_change', { newModel: 'gpt-5' }),
        event('hook.start', { hookInvocationId: 'h1', hookType: 'preToolUse', input: {} }),
        event('assistant.reasoning', { reasoningId: 'r1', content: 'The tests need a counter.' }),
        event('assistant.reasoning', { reasoningId: 'r2', content: '' }),
      ].join('\n'),
      'events.jsonl',
    );
    expect(parsed.entries.map((entry) => [entry.kind, entry.text, entry.model])).toEqual([
      ['meta', 'hook.start preToolUse', null],
      ['thinking', 'The tests need a counter.', 'gpt-5'],
    ]);
  });

  it('keeps malformed, unknown, data-less, empty and truncated lines as unknown with the raw line', () => {
    const lines = fixtureText(file).split('\n');
    for (const line of [12, 17, 18, 19, 20]) {
      expect(byLine(line)).toEqual([
        expect.objectContaining({ kind: 'unknown', raw: lines[line - 1], source: { file, line } }),
      ]);
    }
  });
});
