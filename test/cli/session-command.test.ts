// How `sdd sessions` and `sdd session show` print a session's command: short for an agent (no hooks
// JSON, no prompt), whole for a plain command, and quoted so that a shell reads the same words back.

import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shellLine, shortCommand, startedWith } from '../../src/cli/session-command.js';
import type { SessionRecord } from '../../src/core/session.js';
import type { Item } from '../../src/core/types.js';
import { git, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** The words a POSIX shell makes of `line`. */
function wordsOf(line: string): string[] {
  const result = spawnSync('/bin/sh', ['-c', `for w in ${line}; do printf '%s\\0' "$w"; done`], {
    encoding: 'utf8',
  });
  return result.stdout.split('\0').slice(0, -1);
}

const record = (fields: Partial<SessionRecord>) =>
  ({
    itemId: 'sd-7',
    itemRef: 'T012',
    worktree: null,
    forkedFrom: null,
    agent: 'generic',
    command: [],
    ...fields,
  }) as SessionRecord;

describe('a session command for people', () => {
  it('quotes each word so that a shell reads the same words back', () => {
    const words = ['vim', 'notes.md', "it's", 'a b', '$HOME', 'say "hi"', '`x`', 'back\\slash', '', 'ok=1'];
    expect(wordsOf(shellLine(words))).toEqual(words);
    expect(shellLine(['vim', 'notes.md'])).toBe('vim notes.md');
  });

  it("an agent's hooks JSON and prompt become placeholders; the rest stays", () => {
    const command = [
      'claude',
      '--session-id',
      '0b0c7a3e-6f7e-4c1e-9a51-2f1f0e9b6a11',
      '--settings',
      JSON.stringify({
        hooks: { Stop: [{ hooks: [{ type: 'command', command: '"$SDD_BIN" hook turn-end' }] }] },
      }),
      '--model',
      'opus',
      '# Task T012: Write the notes module\n\nYou are working on...',
    ];
    expect(shortCommand(record({ agent: 'claude-code', command }))).toBe(
      'claude --session-id 0b0c7a3e-6f7e-4c1e-9a51-2f1f0e9b6a11 --settings <settings> --model opus <prompt>',
    );
    expect(startedWith(record({ agent: 'claude-code', command, worktree: '/w' }))).toBe(
      'sdd run T012 --worktree --agent claude-code',
    );
  });

  it('a prompt passed as many words after -- is one <prompt>', () => {
    const prompt = '# sd-6: job\n\nsdd item sd-6, priority P2.\n\nWhen the task is done, say so.';
    const command = ['opencode', 'run', '--model', 'x/y', '--', ...prompt.split(' ')];
    expect(shortCommand(record({ agent: 'opencode', command }))).toBe('opencode run --model x/y -- <prompt>');
  });

  it('an agent run gives back --headless and the words after -- it was started with', () => {
    const launch = { headless: true, agentArgs: ['--model', 'opus 4'] };
    expect(startedWith(record({ agent: 'claude-code', command: ['claude', '-p', 'x'], launch }))).toBe(
      "sdd run T012 --agent claude-code --headless -- --model 'opus 4'",
    );
  });

  it('a plain command is shown whole, and the sdd command gives it back with --cmd or after --', () => {
    const cmd = record({ command: ['/bin/sh', '-c', "vim 'my notes.md'"] });
    expect(shortCommand(cmd)).toBe(`/bin/sh -c "vim 'my notes.md'"`);
    expect(startedWith(cmd)).toBe(`sdd run T012 --cmd "vim 'my notes.md'"`);
    expect(wordsOf(startedWith(cmd)).at(-1)).toBe("vim 'my notes.md'");
    expect(startedWith(record({ command: ['python3', 'agent.py', '--goal', 'a b'] }))).toBe(
      "sdd run T012 -- python3 agent.py --goal 'a b'",
    );
    expect(startedWith(record({ agent: 'shell', command: ['/bin/bash'] }))).toBe('sdd shell T012');
    const fork = record({
      command: ['/bin/sh', '-c', 'make test'],
      forkedFrom: { sessionId: '20261124-130512-a3f9', commit: 'f'.repeat(40), checkpoint: 2 },
    });
    expect(startedWith(fork)).toBe("sdd fork 20261124-130512-a3f9@2 --cmd 'make test'");
  });

  it('a phase of the spec workflow is given back as its phase command on the epic', () => {
    const phase = { phase: 'plan' as const, itemRef: '001-photo-albums' };
    expect(startedWith(record({ ...phase, agent: 'claude-code', command: ['claude', 'x'] }))).toBe(
      'sdd plan 001-photo-albums --agent claude-code',
    );
    expect(startedWith(record({ ...phase, agent: 'shell', command: ['/bin/bash'] }))).toBe(
      'sdd plan 001-photo-albums --shell',
    );
    expect(startedWith(record({ ...phase, agent: 'unrecorded', command: [] }))).toBe(
      'sdd plan 001-photo-albums --here',
    );
  });
});

describe('sdd session show of a --cmd run', () => {
  let dir: { path: string; remove(): Promise<void> };

  beforeEach(async () => {
    dir = await makeTempDir();
    git(dir.path, ['init', '-q']);
    await writeFile(join(dir.path, 'README.md'), '# x\n');
    sddJson(dir.path, ['init']);
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('prints the sdd command that pastes back, and --json keeps the whole argv', () => {
    const task = sddJson<Item>(dir.path, ['create', 'Quote me']);
    const line = `echo "it's done" > out.txt`;
    expect(sdd(dir.path, ['run', task.id, '--cmd', line]).code).toBe(0);
    const { id, command } = sddJson<SessionRecord[]>(dir.path, ['sessions'])[0]!;
    expect(command).toEqual(['/bin/sh', '-c', line]);
    const text = sdd(dir.path, ['session', 'show', id]).stdout;
    const started = /started with: (.*)/.exec(text)?.[1] ?? '';
    expect(wordsOf(started)).toEqual(['sdd', 'run', task.id, '--cmd', line]);
    expect(sddJson<{ startedWith: string }>(dir.path, ['session', 'show', id]).startedWith).toBe(started);
  }, 30_000);

  it('lists a session of a several-line command on one line', () => {
    const task = sddJson<Item>(dir.path, ['create', 'Script me']);
    expect(sdd(dir.path, ['run', task.id, '--cmd', 'echo one\necho two\necho three']).code).toBe(0);
    const list = sdd(dir.path, ['sessions']).stdout.trimEnd().split('\n');
    expect(list).toHaveLength(1);
    expect(list[0]).toContain('echo one…');
    expect(list[0]).not.toContain('three');
  }, 30_000);
});
