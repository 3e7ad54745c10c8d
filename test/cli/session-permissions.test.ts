// Session recordings hold whatever the terminal showed: their folders are 0700 and every file in them
// 0600, under the common umask 022 that would make them world-readable (the running marks, the
// worktrees folder and the control socket as well).

import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/session.js';
import type { Item } from '../../src/core/types.js';
import { git, REPO_ROOT, SDD_BIN, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FAKE_AGENTS = join(REPO_ROOT, 'test', 'fixtures', 'agents');
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

/** `sdd ...` started under umask 022, as most shells are. */
function sddUmask022(cwd: string, args: string[], env: Record<string, string> = {}) {
  const quoted = [process.execPath, SDD_BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const result = spawnSync('/bin/sh', ['-c', `umask 022; exec ${quoted} </dev/null`], {
    cwd,
    env: { ...process.env, SDD_ACTOR: 'tester', ...env },
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
}

/** Every file and folder under `dir`, with its mode. */
function modesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length + 1)] = mode(path);
  }
  return out;
}

describe('session files are private', () => {
  let dir: { path: string; remove(): Promise<void> };
  let home: { path: string; remove(): Promise<void> };
  let cwd: string;
  let task: Item;

  beforeEach(async () => {
    dir = await makeTempDir();
    home = await makeTempDir('sdd-perm-home-');
    cwd = dir.path;
    git(cwd, ['init', '-q']);
    git(cwd, ['config', 'user.name', 'T']);
    git(cwd, ['config', 'user.email', 't@example.com']);
    await writeFile(join(cwd, 'README.md'), '# x\n');
    sddJson(cwd, ['init']);
    git(cwd, ['add', '.']);
    git(cwd, ['commit', '-qm', 'start']);
    task = sddJson<Item>(cwd, ['create', 'Keep it private']);
  });
  afterEach(async () => {
    await dir.remove();
    await home.remove();
  });

  it('a finished session: folder, transcript folder 0700; record, events, prompt, cast, index, transcript 0600', () => {
    const env = {
      PATH: `${FAKE_AGENTS}:${process.env.PATH}`,
      CLAUDE_CONFIG_DIR: join(home.path, 'claude'),
      HOME: home.path,
    };
    sddUmask022(cwd, ['run', task.id, '--agent', 'claude-code', '--worktree'], env);
    const session = sddJson<SessionRecord[]>(cwd, ['sessions'])[0]!;
    const sessions = join(cwd, '.sdd', 'local', 'sessions');
    const folder = join(sessions, session.id);
    expect(mode(sessions)).toBe('700');
    expect(mode(folder)).toBe('700');
    const modes = modesUnder(folder);
    for (const name of ['session.json', 'events.jsonl', 'prompt.md', 'terminal.cast', 'git-index'])
      expect([name, modes[name]]).toEqual([name, '600']);
    expect(modes.transcript).toBe('700');
    const copies = Object.keys(modes).filter((p) => p.startsWith('transcript/'));
    expect(copies.length).toBeGreaterThan(0);
    for (const [path, m] of Object.entries(modes))
      expect([path, m]).toEqual([path, path === 'transcript' ? '700' : '600']);
    expect(mode(join(cwd, '.sdd', 'local', 'worktrees'))).toBe('700');
  }, 60_000);

  it('while it runs: the running mark and the control socket are private too', async () => {
    const seen = join(home.path, 'modes.txt');
    sddUmask022(cwd, [
      'run',
      task.id,
      '--cmd',
      `cd "$SDD_PROJECT_ROOT/.sdd/local/sessions" && stat -c '%a %n' .running .running/* "$SDD_SESSION_ID"/control.sock > ${seen}`,
    ]);
    const lines = (await readFile(seen, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^(700 \.running|600 .+)$/);
  }, 60_000);
});
