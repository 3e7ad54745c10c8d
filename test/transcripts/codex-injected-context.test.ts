// Checks that a Codex rollout reads true: the user's turns from event_msg user_message, so the context Codex
// injects as user-role items is meta, each turn shown once; reasoning kept as thinking; bookkeeping as meta.

import { describe, expect, it } from 'vitest';
import { parseCodexTranscript } from '../../adapters/codex/transcript-parser.js';
import { fixtureText } from './fixture-text.js';

const file = 'codex-rollout-injected.jsonl';
const transcript = parseCodexTranscript(fixtureText(file), file);
const byLine = (line: number) => transcript.entries.filter((entry) => entry.source.line === line);
const envelope = (type: string, payload: object) =>
  JSON.stringify({ timestamp: '2025-11-05T08:00:00.000Z', type, payload });
const message = (role: string, text: string) => ({
  type: 'message',
  role,
  content: [{ type: 'input_text', text }],
});

describe('parseCodexTranscript on injected context', () => {
  it('takes the user turns from the user_message events, once each', () => {
    const users = transcript.entries.filter((entry) => entry.kind === 'user');
    expect(users.map((entry) => [entry.text, entry.source.line])).toEqual([
      ['Why does the build fail?', 8],
      ['Then create it', 20],
    ]);
    expect([...byLine(7), ...byLine(19)]).toEqual([]);
  });

  it('makes injected developer, AGENTS.md and environment context meta', () => {
    for (const line of [2, 3, 4]) expect(byLine(line).map((entry) => entry.kind)).toEqual(['meta']);
  });

  it('makes a user-role item that matches no user turn meta, though sdd knows no marker for it', () => {
    expect(byLine(18)).toEqual([
      expect.objectContaining({ kind: 'meta', text: expect.stringMatching(/^<skills_instructions>/) }),
    ]);
  });

  it('keeps reasoning as thinking, its summary as text, without the repeated agent_reasoning event', () => {
    expect(byLine(11)).toEqual([
      expect.objectContaining({
        kind: 'thinking',
        text: '**Reading the build log**\n\n**Checking tsconfig**',
        model: 'gpt-5-codex',
      }),
    ]);
    expect(byLine(12)).toEqual([]);
    expect(byLine(13)).toEqual([
      expect.objectContaining({ kind: 'thinking', text: '[encrypted reasoning]' }),
    ]);
  });

  it('makes additional_tools, world_state, thread_settings_applied and other bookkeeping one meta line each', () => {
    const meta = (line: number) => byLine(line).map((entry) => [entry.kind, entry.recordType, entry.text]);
    expect(meta(5)).toEqual([['meta', 'additional_tools', 'additional_tools']]);
    expect(meta(6)).toEqual([['meta', 'world_state', 'world_state']]);
    expect(meta(10)).toEqual([['meta', 'event_msg/task_started', 'task_started']]);
    expect(meta(21)).toEqual([['meta', 'event_msg/thread_settings_applied', 'thread_settings_applied']]);
    expect(meta(22)).toEqual([['meta', 'event_msg/token_count', 'token_count: 9321 tokens in all']]);
    expect(meta(23)).toEqual([['meta', 'response_item/ghost_snapshot', 'ghost_snapshot']]);
    expect(transcript.entries.filter((entry) => entry.kind === 'unknown')).toEqual([]);
  });

  it('makes a user_message event that some versions marked as injected context meta', () => {
    const parsed = parseCodexTranscript(
      envelope('event_msg', {
        type: 'user_message',
        message: '<user_instructions>be brief</user_instructions>',
        kind: 'user_instructions',
      }),
      'x.jsonl',
    );
    expect(parsed.entries.map((entry) => entry.kind)).toEqual(['meta']);
  });

  it('reads the user from response items in a rollout without user_message events', () => {
    const parsed = parseCodexTranscript(
      [
        envelope('response_item', message('user', '<environment_context>x</environment_context>')),
        envelope('response_item', message('user', 'List the files')),
      ].join('\n'),
      'x.jsonl',
    );
    expect(parsed.entries.map((entry) => [entry.kind, entry.text])).toEqual([
      ['meta', '<environment_context>x</environment_context>'],
      ['user', 'List the files'],
    ]);
  });
});
