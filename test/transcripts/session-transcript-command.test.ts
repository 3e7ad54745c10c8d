// `sdd session transcript` through the real bin/sdd on a session folder holding a messy Claude Code log:
// the conversation by default, --thinking and --all for the rest, a sub-agent labelled, no raw control
// characters or raw JSON lines on the terminal, and --json with every entry and its kind.

import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/session.js';
import type { Transcript } from '../../src/core/transcript.js';
import { git, REPO_ROOT, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { controlCharacters } from './control-characters.js';

const SESSION_ID = '20251104-140000-c0de';
const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'transcripts', 'claude-code-harness.jsonl');

/** A finished claude-code session whose transcript folder holds the fixture, as the copier would leave it. */
async function writeSession(projectRoot: string): Promise<void> {
  const folder = join(projectRoot, '.sdd', 'local', 'sessions', SESSION_ID);
  await mkdir(join(folder, 'transcript'), { recursive: true });
  await copyFile(FIXTURE, join(folder, 'transcript', 'session.jsonl'));
  const record: SessionRecord = {
    id: SESSION_ID,
    itemId: 'item-1',
    itemRef: 'T001',
    actor: 'tester',
    command: ['claude'],
    agent: 'claude-code',
    conversationId: '5d1e7a30-8c2b-4f6e-a9d4-0b3c2e1f7a88',
    cwd: projectRoot,
    baseCommit: null,
    checkpointRef: null,
    worktree: null,
    startedAt: '2025-11-04T14:00:00.000Z',
    endedAt: '2025-11-04T14:01:00.000Z',
    exitCode: 0,
    status: 'finished',
    pid: 1,
    host: 'test',
    cols: 80,
    rows: 24,
    controlSocket: null,
    redactions: {},
    forkedFrom: null,
  };
  await writeFile(join(folder, 'session.json'), `${JSON.stringify(record, null, 2)}\n`);
}

describe('sdd session transcript', () => {
  let dir: { path: string; remove(): Promise<void> };
  const show = (...flags: string[]) => {
    const result = sdd(dir.path, ['session', 'transcript', SESSION_ID, ...flags]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return result.stdout;
  };

  beforeAll(async () => {
    dir = await makeTempDir();
    git(dir.path, ['init', '-q']);
    sddJson(dir.path, ['init']);
    await writeSession(dir.path);
  });
  afterAll(async () => {
    await dir.remove();
  });

  it('prints the conversation, hiding thinking and meta and saying so', () => {
    const text = show();
    expect(text).toContain('> Find the flaky test and fix it');
    expect(text).toContain("I'll have a sub-agent search the tests.");
    expect(text).not.toContain('A flaky test is usually a timing issue.');
    expect(text).not.toContain('/model opus');
    expect(text).not.toContain('<command-name>');
    expect(text).toMatch(/\(hidden: 1 thinking \(--thinking\), \d+ meta \(--all\)\)/);
  });

  it("labels and indents the sub-agent's entries instead of showing its prompt as the user", () => {
    const text = show();
    expect(text).toContain('    [sub-agent a1b2c3d] 14:00:05 > Search the tests for sleep() calls');
    expect(text).not.toMatch(/^14:00:05 > Search the tests/m);
  });

  it('shows no control character from the log raw, and no raw JSON line', () => {
    const text = show('--all');
    expect(controlCharacters(text)).toEqual([]);
    expect(text).toContain('\\x1b[31mFAIL\\x1b[0m test/net.test.ts\n\\x1b]0;owned\\x07done');
    expect(text).toContain('? [unknown record: agent-color]');
    expect(text).toContain('? [unreadable line 19 of session.jsonl]');
    expect(text).not.toContain('"type"');
  });

  it('shows thinking with --thinking, and meta too with --all', () => {
    const thinking = show('--thinking');
    expect(thinking).toContain('∴ thinking: A flaky test is usually a timing issue.');
    expect(thinking).not.toContain('◦ /model opus');
    const all = show('--all');
    expect(all).toContain('◦ /model opus');
    expect(all).toContain('◦ hook PreToolUse:Task');
    expect(all).toContain('◦ [Request interrupted by user for tool use]');
    expect(show('--meta')).toBe(all);
  });

  it('gives every entry with its kind under --json, whatever the view, raw lines included', () => {
    const transcript = sddJson<Transcript>(dir.path, ['session', 'transcript', SESSION_ID]);
    const kinds = new Set(transcript.entries.map((entry) => entry.kind));
    expect([...kinds].sort()).toEqual(
      ['assistant', 'meta', 'system', 'thinking', 'tool_call', 'tool_result', 'unknown', 'user'].sort(),
    );
    expect(transcript.entries.filter((entry) => entry.sidechain)).toHaveLength(2);
    expect(transcript.entries.find((entry) => entry.recordType === 'agent-color')?.raw).toContain('teal');
    const filtered = sddJson<Transcript>(dir.path, ['session', 'transcript', SESSION_ID, '--thinking']);
    expect(filtered.entries).toHaveLength(transcript.entries.length);
  });
});
