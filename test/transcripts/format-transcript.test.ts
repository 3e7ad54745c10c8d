// Checks how a transcript prints for a person: thinking and meta hidden unless asked for (and counted when
// hidden), a sub-agent's entries labelled and indented, unknown records one short line, nothing unescaped.

import { describe, expect, it } from 'vitest';
import type { Transcript, TranscriptEntry } from '../../src/core/transcript.js';
import { formatTranscript } from '../../src/transcripts/format-transcript.js';
import { controlCharacters } from './control-characters.js';

const source = { file: 'log.jsonl', line: 1 };
const entry = (kind: TranscriptEntry['kind'], text: string, extra: Partial<TranscriptEntry> = {}) =>
  ({ kind, time: null, model: null, text, source, ...extra }) as TranscriptEntry;
const transcript = (...entries: TranscriptEntry[]): Transcript => ({
  agent: 'claude-code',
  conversationId: null,
  entries,
});

const sample = transcript(
  entry('user', 'Fix it'),
  entry('thinking', 'It is a timing issue.'),
  entry('meta', '/model opus'),
  entry('assistant', 'Fixed.'),
);

describe('formatTranscript', () => {
  it('hides thinking and meta by default, and says how many and how to show them', () => {
    expect(formatTranscript(sample)).toBe(
      '> Fix it\n\nFixed.\n\n(hidden: 1 thinking (--thinking), 1 meta (--all))',
    );
  });

  it('shows thinking with --thinking, still hiding meta', () => {
    const text = formatTranscript(sample, { thinking: true });
    expect(text).toContain('∴ thinking: It is a timing issue.');
    expect(text).not.toContain('/model opus');
    expect(text).toContain('(hidden: 1 meta (--all))');
  });

  it('shows everything with --all, meta included, and no hidden note', () => {
    const text = formatTranscript(sample, { all: true });
    expect(text).toContain('∴ thinking: It is a timing issue.');
    expect(text).toContain('◦ /model opus');
    expect(text).not.toContain('hidden');
  });

  it("labels and indents every line of a sub-agent's entry", () => {
    const text = formatTranscript(
      transcript(
        entry('user', 'Search the tests', { sidechain: { agentId: 'a1b2' } }),
        entry('assistant', 'Found one.\nIn net.test.ts.', { sidechain: { agentId: null } }),
      ),
    );
    expect(text).toBe(
      '    [sub-agent a1b2] > Search the tests\n\n    [sub-agent] Found one.\n    In net.test.ts.',
    );
  });

  it('prints an unknown record as one line naming its type, never its raw JSON', () => {
    const raw = '{"type":"agent-color","color":"teal"}';
    const text = formatTranscript(
      transcript(
        entry('unknown', '', { raw, recordType: 'agent-color' }),
        entry('unknown', '', { raw: '{"type":"assis', source: { file: 'log.jsonl', line: 7 } }),
      ),
    );
    expect(text).toBe('? [unknown record: agent-color]\n\n? [unreadable line 7 of log.jsonl]');
  });

  it('escapes control characters in every printed part: text, tool input, model', () => {
    const text = formatTranscript(
      transcript(
        entry('tool_result', '\u001b[31mFAIL\u001b[0m'),
        entry('tool_call', 'x', {
          tool: { name: 'Bash\u001b]0;t\u0007', callId: null, input: { c: '\u009b' } },
        }),
        entry('assistant', 'ok', { model: 'm\u001b[2J' }),
      ),
    );
    expect(controlCharacters(text)).toEqual([]);
    expect(text).toContain('← \\x1b[31mFAIL\\x1b[0m');
    expect(text).toContain('→ Bash\\x1b]0;t\\x07');
    expect(text).toContain('[m\\x1b[2J] ok');
  });
});
