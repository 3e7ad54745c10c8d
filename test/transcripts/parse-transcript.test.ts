// Checks that parseTranscript picks each agent's parser, joins several files in order and keeps every line
// of an agent it has no parser for.

import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../src/transcripts/parse-transcript.js';
import { fixtureText } from './fixture-text.js';

const file = (name: string) => ({ name, text: fixtureText(name) });

describe('parseTranscript', () => {
  it.each([
    ['claude-code', 'claude-code-session.jsonl', '7f3c9a52-1b4e-4c1a-9d3e-2f6a8b0c4d11'],
    ['codex', 'codex-rollout.jsonl', '0199a213-81c0-7800-8aa1-bbab2a035a53'],
    ['gemini', 'gemini-session-legacy.json', 'c6a1f0e2-7d3b-4e88-a1f2-0b9d8c7e6f54'],
    ['aider', 'aider-history.md', null],
  ])('dispatches %s to its parser', async (agent, name, conversationId) => {
    const transcript = await parseTranscript(agent, [file(name)]);
    expect(transcript.agent).toBe(agent);
    expect(transcript.conversationId).toBe(conversationId);
    expect(transcript.entries.some((entry) => entry.kind === 'user')).toBe(true);
    expect(transcript.entries.every((entry) => entry.source.file === name)).toBe(true);
  });

  it('concatenates several files in the order given, each entry naming its file', async () => {
    const transcript = await parseTranscript('aider', [
      file('aider-history.md'),
      file('aider-history-no-header.md'),
    ]);
    const files = transcript.entries.map((entry) => entry.source.file);
    expect(files.indexOf('aider-history-no-header.md')).toBe(files.lastIndexOf('aider-history.md') + 1);
    expect(transcript.entries.at(-1)?.text).toBe('Applied edit to src/count.ts');
  });

  it('takes the first conversation id found across files', async () => {
    const transcript = await parseTranscript('codex', [
      { name: 'empty.jsonl', text: '' },
      file('codex-rollout-old.jsonl'),
      file('codex-rollout.jsonl'),
    ]);
    expect(transcript.conversationId).toBe('5973b6c0-94b8-487b-a530-2aeb6098ae0e');
  });

  it('keeps every line of an agent without a parser as unknown', async () => {
    const transcript = await parseTranscript('cursor', [{ name: 'log.txt', text: 'one\n\ntwo\n' }]);
    expect(transcript.entries).toEqual([
      {
        kind: 'unknown',
        time: null,
        model: null,
        text: '',
        raw: 'one',
        source: { file: 'log.txt', line: 1 },
      },
      { kind: 'unknown', time: null, model: null, text: '', raw: '', source: { file: 'log.txt', line: 2 } },
      {
        kind: 'unknown',
        time: null,
        model: null,
        text: '',
        raw: 'two',
        source: { file: 'log.txt', line: 3 },
      },
    ]);
  });
});
