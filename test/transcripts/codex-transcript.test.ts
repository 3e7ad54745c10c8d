// Checks that a Codex rollout becomes the normal form: the {timestamp, type, payload} envelope, each message
// once although event_msg repeats it, the model taken from turn_context, the old bare format, messy lines.

import { describe, expect, it } from 'vitest';
import { parseCodexTranscript } from '../../adapters/codex/transcript-parser.js';
import { fixtureText } from './fixture-text.js';

const file = 'codex-rollout.jsonl';
const transcript = parseCodexTranscript(fixtureText(file), file);
const byLine = (line: number) => transcript.entries.filter((entry) => entry.source.line === line);

describe('parseCodexTranscript', () => {
  it('takes the conversation id from session_meta', () => {
    expect(transcript.agent).toBe('codex');
    expect(transcript.conversationId).toBe('0199a213-81c0-7800-8aa1-bbab2a035a53');
  });

  it('reads the user prompt from its event_msg user_message, not the response_item copy', () => {
    expect(byLine(4)).toEqual([
      {
        kind: 'user',
        time: '2025-09-30T12:00:05.411Z',
        model: null,
        text: 'Run the tests and fix what fails',
        source: { file, line: 4 },
      },
    ]);
    expect(byLine(3)).toEqual([]);
  });

  it('shows each user and agent message once, though event_msg repeats it', () => {
    const texts = transcript.entries.map((entry) => entry.text);
    expect(texts.filter((text) => text === 'Run the tests and fix what fails')).toHaveLength(1);
    expect(texts.filter((text) => text === 'Added countWords; the suite passes now.')).toHaveLength(1);
    expect([...byLine(3), ...byLine(6), ...byLine(9), ...byLine(15)]).toEqual([]);
    expect(byLine(11)).toEqual([
      expect.objectContaining({ kind: 'meta', text: 'token_count: 8334 tokens in all' }),
    ]);
  });

  it('makes the injected environment context a meta entry', () => {
    expect(byLine(2)[0]?.kind).toBe('meta');
  });

  it('decodes function_call arguments and stamps the model of the turn', () => {
    const [call] = byLine(8);
    expect(call?.kind).toBe('tool_call');
    expect(call?.model).toBe('gpt-5-codex');
    expect(call?.time).toBe('2025-09-30T12:00:07.500Z');
    expect(call?.tool).toEqual({
      name: 'shell',
      callId: 'call_Xy12Ab',
      input: { command: ['bash', '-lc', 'npm test'], workdir: '/home/ana/notes', timeout_ms: 120000 },
    });
  });

  it('pairs the function_call_output with its call and marks a non-zero exit as an error', () => {
    const [result] = byLine(10);
    expect(result?.kind).toBe('tool_result');
    expect(result?.result).toEqual({ callId: 'call_Xy12Ab', isError: true });
    expect(result?.text).toContain('1 failing');
  });

  it('reads custom tool calls (apply_patch) and their output', () => {
    expect(byLine(12)[0]?.tool).toMatchObject({ name: 'apply_patch', callId: 'call_Pq34Cd' });
    expect(byLine(12)[0]?.tool?.input).toMatch(/^\*\*\* Begin Patch/);
    expect(byLine(13)[0]?.result).toEqual({ callId: 'call_Pq34Cd', isError: false });
  });

  it('gives the assistant reply the model of its turn, and a later turn its new model', () => {
    expect(byLine(14)[0]).toMatchObject({ kind: 'assistant', model: 'gpt-5-codex' });
    expect(byLine(20)[0]).toMatchObject({ kind: 'assistant', model: 'gpt-5', text: 'Anything else?' });
  });

  it('keeps reasoning items as thinking, their summary as text', () => {
    expect(byLine(7)).toEqual([
      expect.objectContaining({ kind: 'thinking', text: '**Running the test suite**', model: 'gpt-5-codex' }),
    ]);
  });

  it('notes compaction and an aborted turn as system entries', () => {
    expect(byLine(17)[0]).toMatchObject({
      kind: 'system',
      text: expect.stringMatching(/^Conversation compacted/),
    });
    expect(byLine(18)[0]).toMatchObject({ kind: 'system', text: 'turn_aborted: interrupted' });
  });

  it('keeps unknown event and record types, empty and truncated lines as unknown with the raw line', () => {
    const text = fixtureText(file).split('\n');
    expect(byLine(19)[0]?.recordType).toBe('event_msg/shiny_new_event');
    expect(byLine(21)).toEqual([expect.objectContaining({ kind: 'meta', recordType: 'world_state' })]);
    for (const line of [19, 22, 23]) {
      expect(byLine(line)).toEqual([
        expect.objectContaining({ kind: 'unknown', raw: text[line - 1], source: { file, line } }),
      ]);
    }
  });

  it('reads the old rollout without envelope: bare first line, state markers, bare items', () => {
    const old = parseCodexTranscript(fixtureText('codex-rollout-old.jsonl'), 'old.jsonl');
    expect(old.conversationId).toBe('5973b6c0-94b8-487b-a530-2aeb6098ae0e');
    expect(old.entries.map((entry) => [entry.kind, entry.source.line])).toEqual([
      ['user', 3],
      ['tool_call', 4],
      ['tool_result', 5],
      ['assistant', 6],
    ]);
    expect(old.entries[1]?.tool).toEqual({
      name: 'local_shell',
      callId: 'call_ls1',
      input: {
        type: 'exec',
        command: ['ls'],
        timeout_ms: null,
        working_directory: null,
        env: null,
        user: null,
      },
    });
    expect(old.entries[2]).toMatchObject({
      text: 'README.md\nsrc',
      result: { callId: 'call_ls1', isError: false },
    });
  });
});
