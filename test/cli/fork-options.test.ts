// `sdd fork` takes the options `sdd fork --help` lists, and each one does what it says: --cmd and the
// words after -- replace the parent's command, --agent and --headless choose how the agent runs,
// and the run options (--force, --done-on-success, --ttl, --cols/--rows, --record-input) reach the run.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionEvent, SessionRecord } from '../../src/core/session.js';
import type { Item } from '../../src/core/types.js';
import { withoutMcpArgs } from '../helpers/mcp-args.js';
import { git, REPO_ROOT, SDD_BIN, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FAKE_AGENTS = join(REPO_ROOT, 'test', 'fixtures', 'agents');

interface SessionShow {
  session: SessionRecord;
  events: SessionEvent[];
  castPath: string;
  promptPath: string;
}

describe('sdd fork options', () => {
  let dir: { path: string; remove(): Promise<void> };
  let home: { path: string; remove(): Promise<void> };
  let cwd: string;
  let task: Item;
  let parent: SessionRecord;
  let parentLog: string;

  beforeEach(async () => {
    dir = await makeTempDir();
    home = await makeTempDir('sdd-fork-home-');
    cwd = dir.path;
    git(cwd, ['init', '-q', '-b', 'main']);
    git(cwd, ['config', 'user.name', 'T']);
    git(cwd, ['config', 'user.email', 't@example.com']);
    await writeFile(join(cwd, 'README.md'), '# x\n');
    sddJson(cwd, ['init']);
    git(cwd, ['add', '.']);
    git(cwd, ['commit', '-qm', 'start']);
    task = sddJson<Item>(cwd, ['create', 'Try it two ways']);
    // the parent's program notes each time it runs, outside the repository
    parentLog = join(home.path, 'parent-runs.log');
    const script = join(home.path, 'parent.sh');
    await writeFile(script, `#!/bin/sh\necho ran >> ${parentLog}\n`);
    expect(sdd(cwd, ['run', task.id, '--', 'sh', script]).code).toBe(0);
    parent = sddJson<SessionRecord[]>(cwd, ['sessions'])[0]!;
    expect(await readFile(parentLog, 'utf8')).toBe('ran\n');
  });
  afterEach(async () => {
    await dir.remove();
    await home.remove();
  });

  const newest = () => sddJson<SessionRecord[]>(cwd, ['sessions'])[0]!;
  const show = (id: string) => sddJson<SessionShow>(cwd, ['session', 'show', id]);

  it("--cmd runs that command line instead of the parent's", async () => {
    const forked = sdd(cwd, ['fork', `${parent.id}@0`, '--worktree', '--cmd', 'echo forked > fork.txt']);
    expect(forked.code).toBe(0);
    expect(await readFile(parentLog, 'utf8')).toBe('ran\n'); // the parent's program did not run again
    const child = newest();
    expect(child.id).not.toBe(parent.id);
    expect(child.command).toEqual(['/bin/sh', '-c', 'echo forked > fork.txt']);
    expect(child.forkedFrom?.sessionId).toBe(parent.id);
    expect(await readFile(join(child.worktree!, 'fork.txt'), 'utf8')).toBe('forked\n');
  }, 60_000);

  it("the words after -- replace the parent's command; with --cmd as well they are refused", async () => {
    expect(
      sdd(cwd, ['fork', `${parent.id}@0`, '--worktree', '--', 'sh', '-c', 'echo words > w.txt']).code,
    ).toBe(0);
    expect(await readFile(parentLog, 'utf8')).toBe('ran\n');
    const child = newest();
    expect(child.command).toEqual(['sh', '-c', 'echo words > w.txt']);
    expect(existsSync(join(child.worktree!, 'w.txt'))).toBe(true);

    const both = sdd(cwd, ['fork', `${parent.id}@0`, '--cmd', 'true', '--', 'echo', 'x']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('either with --cmd');
    const withAgent = sdd(cwd, ['fork', `${parent.id}@0`, '--cmd', 'true', '--agent', 'codex']);
    expect(withAgent.code).toBe(2);
    expect(sddJson<SessionRecord[]>(cwd, ['sessions'])).toHaveLength(2); // nothing ran for either
  }, 60_000);

  it('--agent and --headless launch that agent in its print mode, told of the parent session', async () => {
    const env = { PATH: `${FAKE_AGENTS}:${process.env.PATH}`, CODEX_HOME: join(home.path, 'codex') };
    const log = join(home.path, 'codex-argv.json');
    const forked = sdd(cwd, ['fork', `${parent.id}@0`, '--worktree', '--agent', 'codex', '--headless'], {
      ...env,
      FAKE_AGENT_LOG: log,
    });
    expect(forked.code).toBe(0);
    // The words for sdd's MCP server come first (codex takes -c before its subcommand).
    const argv = withoutMcpArgs(JSON.parse(await readFile(log, 'utf8')).argv as string[]);
    expect(argv[0]).toBe('exec');
    expect(argv.at(-1)).toContain(`Session ${parent.id}`);
    expect(newest().agent).toBe('codex');
  }, 60_000);

  it("--agent generic on an agent's session needs a command: the agent's own would resume a conversation that is not its", async () => {
    const env = { PATH: `${FAKE_AGENTS}:${process.env.PATH}`, CODEX_HOME: join(home.path, 'codex') };
    expect(sdd(cwd, ['fork', `${parent.id}@0`, '--worktree', '--agent', 'codex'], env).code).toBe(0);
    const codexSession = newest();
    const refused = sdd(cwd, ['fork', `${codexSession.id}@0`, '--worktree', '--agent', 'generic'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('ran codex, not a plain command');
  }, 60_000);

  it('without --worktree the fork switches the project to a new branch', () => {
    expect(sdd(cwd, ['fork', `${parent.id}@0`, '--cmd', 'true']).code).toBe(0);
    expect(git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']).trim()).toMatch(/^sdd\//);
    expect(newest().worktree).toBeNull();
  }, 60_000);

  it('--force, --done-on-success, --ttl, --cols/--rows and --record-input reach the run', async () => {
    sddJson(cwd, ['claim', task.id, '--as', 'someone-else']);
    const refused = sdd(cwd, ['fork', `${parent.id}@0`, '--worktree', '--cmd', 'true']);
    expect(refused.code).toBe(4);
    const forked = spawnSync(
      process.execPath,
      [
        SDD_BIN,
        'fork',
        `${parent.id}@0`,
        '--worktree',
        '--force',
        '--done-on-success',
        '--ttl',
        '3s',
        '--cols',
        '91',
        '--rows',
        '17',
        '--record-input',
        '--cmd',
        'read line; echo "got $line"; sleep 2',
      ],
      { cwd, env: { ...process.env, SDD_ACTOR: 'tester' }, input: 'typed words\n', encoding: 'utf8' },
    );
    expect(forked.status).toBe(0);
    const child = show(newest().id);
    const cast = (await readFile(child.castPath, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(cast[0]).toMatchObject({ width: 91, height: 17 });
    expect(cast.some((e) => e[1] === 'i' && String(e[2]).includes('typed words'))).toBe(true);
    // a 3 s lease is renewed every second while the command runs
    expect(child.events.some((e) => e.type === 'claim' && e.action === 'renewed')).toBe(true);
    expect(sddJson<{ item: Item }>(cwd, ['show', task.id]).item.status).toBe('done');
  }, 60_000);
});
