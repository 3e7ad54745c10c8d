// Checks that sdd's mirror of an opencode session becomes the normal form: a record's last version wins in the
// place of its first, parts gather under their message, tool parts make a call and a result, messy lines kept.

import { describe, expect, it } from 'vitest';
import { parseOpencodeTranscript } from '../../adapters/opencode/transcript-parser.js';
import { fixtureText } from './fixture-text.js';

const file = 'opencode-session.jsonl';
const transcript = parseOpencodeTranscript(fixtureText(file), file);
const byLine = (line: number) => transcript.entries.filter((entry) => entry.source.line === line);

describe('parseOpencodeTranscript', () => {
  it('takes the conversation id from the session record', () => {
    expect(transcript.agent).toBe('opencode');
    expect(transcript.conversationId).toBe('ses_6a2f1c0e3ffeQ1bCfE2yq9TbXk');
  });

  it('reads the user text with its message time, and text opencode added as a meta entry', () => {
    expect(byLine(3)).toEqual([
      {
        kind: 'user',
        time: '2025-09-02T09:14:05.481Z',
        model: null,
        text: 'Add a word counter to src/count.ts and run the tests',
        source: { file, line: 3 },
      },
    ]);
    expect(byLine(4)[0]?.kind).toBe('meta');
  });

  it('takes the last version of a streamed text part, in the place of its first', () => {
    expect(byLine(7)).toEqual([]);
    expect(byLine(9)).toEqual([
      {
        kind: 'assistant',
        time: '2025-09-02T09:14:08.950Z',
        model: 'claude-sonnet-4-5',
        text: "I'll add the counter first.",
        source: { file, line: 9 },
      },
    ]);
    const kinds = transcript.entries.map((entry) => entry.kind);
    expect(kinds.slice(0, 3)).toEqual(['user', 'meta', 'assistant']);
  });

  it('makes a finished tool part a call with its input and a result answering it', () => {
    const [call, result] = byLine(10);
    expect(call).toMatchObject({
      kind: 'tool_call',
      time: '2025-09-02T09:14:10.000Z',
      model: 'claude-sonnet-4-5',
      tool: {
        name: 'bash',
        callId: 'toolu_01Bash',
        input: { command: 'npm test', description: 'Run the tests' },
      },
    });
    expect(result).toMatchObject({
      kind: 'tool_result',
      time: '2025-09-02T09:14:15.333Z',
      text: '1 failing: countWords is not defined',
      result: { callId: 'toolu_01Bash', isError: true },
    });
    expect(byLine(8)).toEqual([]);
    expect(byLine(12)[1]).toMatchObject({ text: 'Edit applied successfully.', result: { isError: false } });
  });

  it("skips step markers, keeps reasoning as thinking, and reports the message's error", () => {
    expect(byLine(6)).toEqual([]);
    expect(byLine(11)).toEqual([
      expect.objectContaining({
        kind: 'thinking',
        text: 'The function is missing.',
        model: 'claude-sonnet-4-5',
      }),
    ]);
    expect(byLine(15)[0]).toMatchObject({ kind: 'system', text: 'Error: MessageAbortedError: Aborted' });
  });

  it('keeps malformed, unknown, orphaned, empty and truncated lines as unknown with the raw line', () => {
    const lines = fixtureText(file).split('\n');
    for (const line of [13, 14, 16, 17, 18, 19]) {
      expect(byLine(line)).toEqual([
        expect.objectContaining({ kind: 'unknown', raw: lines[line - 1], source: { file, line } }),
      ]);
    }
  });

  it('never throws on text that is not a mirror at all', () => {
    const parsed = parseOpencodeTranscript('nope\n[1]\n{"type":"part","data":{}}\n', 'x.jsonl');
    expect(parsed.entries.map((entry) => entry.kind)).toEqual(['unknown', 'unknown', 'unknown']);
  });
});
