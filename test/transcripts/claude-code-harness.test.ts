// Checks that Claude Code's log reads true: a sub-agent's records marked as such, text its harness wrote
// (command tags, local command output, reminders, interruptions, hook progress, bookkeeping) as meta, thinking
// kept as its own kind, and records sdd does not know kept whole.

import { describe, expect, it } from 'vitest';
import { parseClaudeCodeTranscript } from '../../adapters/claude-code/transcript-parser.js';
import { fixtureText } from './fixture-text.js';

const file = 'claude-code-harness.jsonl';
const transcript = parseClaudeCodeTranscript(fixtureText(file), file);
const byLine = (line: number) => transcript.entries.filter((entry) => entry.source.line === line);
const only = (line: number) => {
  const entries = byLine(line);
  expect(entries).toHaveLength(1);
  return entries[0]!;
};

describe('parseClaudeCodeTranscript on harness text and sub-agents', () => {
  it("marks a sub-agent's records with its agent id, so its prompt is not the user speaking", () => {
    expect(only(8)).toMatchObject({
      kind: 'user',
      text: 'Search the tests for sleep() calls',
      sidechain: { agentId: 'a1b2c3d' },
    });
    expect(only(9)).toMatchObject({
      kind: 'assistant',
      model: 'claude-haiku-4-5-20251001',
      sidechain: { agentId: 'a1b2c3d' },
    });
    const main = transcript.entries.filter((entry) => !entry.sidechain && entry.kind === 'user');
    expect(main.map((entry) => entry.text)).toEqual(['Find the flaky test and fix it', 'Good, now fix it']);
    expect(transcript.conversationId).toBe('5d1e7a30-8c2b-4f6e-a9d4-0b3c2e1f7a88');
  });

  it('makes a slash command one meta line, its name and arguments', () => {
    expect(only(2)).toMatchObject({ kind: 'meta', text: '/model opus' });
  });

  it("makes a local command's output meta, labelled", () => {
    expect(only(3)).toMatchObject({
      kind: 'meta',
      text: 'command output: Set model to \u001b[1mopus\u001b[22m',
    });
  });

  it("makes a system reminder meta while the person's words in the same record stay theirs", () => {
    expect(byLine(11).map((entry) => [entry.kind, entry.text])).toEqual([
      ['meta', 'reminder: The todo list is empty.'],
      ['user', 'Good, now fix it'],
    ]);
  });

  it('makes the interruption note meta, not the user speaking', () => {
    expect(only(14)).toMatchObject({ kind: 'meta', text: '[Request interrupted by user for tool use]' });
  });

  it('makes hook progress one meta line naming the hook', () => {
    expect(only(7)).toMatchObject({
      kind: 'meta',
      text: 'hook PreToolUse:Task',
      recordType: 'progress/hook_progress',
    });
  });

  it('makes attachment, last-prompt and stop-hook records one short meta line each', () => {
    expect(only(15)).toMatchObject({
      kind: 'meta',
      text: 'attachment: todo_reminder',
      recordType: 'attachment',
    });
    expect(only(16)).toMatchObject({ kind: 'meta', text: 'last-prompt', recordType: 'last-prompt' });
    expect(only(17)).toMatchObject({ kind: 'meta', recordType: 'system/stop_hook_summary' });
    for (const line of [15, 16, 17]) expect(only(line).text).not.toContain('{');
  });

  it('keeps a thinking block as a thinking entry before the reply it led to', () => {
    expect(only(4)).toEqual({
      kind: 'thinking',
      time: '2025-11-04T14:00:04.000Z',
      model: 'claude-opus-4-1-20250805',
      text: 'A flaky test is usually a timing issue.',
      source: { file, line: 4 },
    });
    expect(only(5)).toMatchObject({ kind: 'assistant', text: "I'll have a sub-agent search the tests." });
  });

  it('makes a reply the harness wrote itself (model <synthetic>) a system entry with no model', () => {
    expect(only(18)).toMatchObject({ kind: 'system', model: null, text: 'No response requested.' });
  });

  it('keeps a tool result with escape sequences exactly as logged', () => {
    expect(only(13).text).toBe('\u001b[31mFAIL\u001b[0m test/net.test.ts\r\n\u001b]0;owned\u0007done');
  });

  it('keeps an unknown record type and an unreadable line as unknown with the raw line', () => {
    const lines = fixtureText(file).split('\n');
    expect(only(19)).toMatchObject({ kind: 'unknown', raw: lines[18] });
    expect(only(19).recordType).toBeUndefined();
    expect(only(20)).toMatchObject({ kind: 'unknown', raw: lines[19], recordType: 'agent-color' });
  });
});
