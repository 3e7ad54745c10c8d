// `sdd run` end to end: a scripted fake agent in a real PTY, in a real git repository; the recording,
// the checkpoints and their diffs, the claim and the user's git state afterwards.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawn as spawnPty } from 'node-pty';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ItemDetails } from '../../src/core/service.js';
import type { CheckpointEvent, SessionEvent, SessionRecord } from '../../src/core/session.js';
import type { Item } from '../../src/core/types.js';
import { git, REPO_ROOT, SDD_BIN, sdd, sddAsync, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FAKE_AGENT = join(REPO_ROOT, 'test', 'fixtures', 'fake-agent.mjs');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface SessionShow {
  session: SessionRecord;
  events: SessionEvent[];
  castPath: string;
}

describe('sdd run', () => {
  let dir: { path: string; remove(): Promise<void> };
  let cwd: string;
  let task: Item;

  beforeEach(async () => {
    dir = await makeTempDir();
    cwd = dir.path;
    git(cwd, ['init', '-q', '-b', 'main']);
    git(cwd, ['config', 'user.name', 'Tess']);
    git(cwd, ['config', 'user.email', 'tess@example.com']);
    await writeFile(join(cwd, 'README.md'), '# project\n');
    await writeFile(join(cwd, 'staged.txt'), 'v1\n');
    git(cwd, ['add', '.']);
    git(cwd, ['commit', '-qm', 'initial']);
    sddJson(cwd, ['init']);
    git(cwd, ['add', '.sdd']);
    git(cwd, ['commit', '-qm', 'sdd']);
    task = sddJson<Item>(cwd, ['create', 'Write the notes module']);
  });
  afterEach(async () => {
    await dir.remove();
  });

  async function script(steps: unknown[]): Promise<string> {
    const path = join(dir.path, '..', `${dir.path.split('/').pop()}-script.json`);
    await writeFile(path, JSON.stringify(steps));
    return path;
  }

  const show = (id: string) => sddJson<SessionShow>(cwd, ['session', 'show', id]);
  const lastSession = () => sddJson<SessionRecord[]>(cwd, ['sessions'])[0]!;

  it('records output, checkpoints each burst of edits, keeps the exit code, releases the claim, leaves git alone', async () => {
    await writeFile(join(cwd, 'staged.txt'), 'v2\n');
    git(cwd, ['add', 'staged.txt']);
    git(cwd, ['stash', 'list']);
    const before = {
      head: git(cwd, ['rev-parse', 'HEAD']),
      branch: git(cwd, ['symbolic-ref', 'HEAD']),
      index: git(cwd, ['ls-files', '-s']),
      cached: git(cwd, ['diff', '--cached']),
      stash: git(cwd, ['stash', 'list']),
    };
    const log = join(dir.path, '..', `${dir.path.split('/').pop()}-agent.json`);
    const steps = await script([
      { print: 'hello from the agent\r\n' },
      { write: 'src/notes.ts', content: 'export const notes = [];\n' },
      { sleep: 2500 },
      { print: 'second step\r\n' },
      { write: 'src/notes.test.ts', content: 'test\n' },
      { delete: 'README.md' },
      { exit: 3 },
    ]);
    const run = sdd(
      cwd,
      ['run', task.id, '--cols', '90', '--rows', '20', '--', process.execPath, FAKE_AGENT, steps],
      {
        FAKE_AGENT_LOG: log,
      },
    );
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('hello from the agent');
    expect(run.stderr).toContain('session');

    const seen = JSON.parse(await readFile(log, 'utf8'));
    expect(seen.isTTY).toBe(true);
    expect(seen.columns).toBe(90);
    expect(seen.env.SDD_ITEM_ID).toBe(task.id);
    expect(seen.env.SDD_SESSION_ID).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4}$/);
    const prompt = await readFile(seen.env.SDD_PROMPT_FILE, 'utf8');
    expect(prompt).toContain('Write the notes module');

    const { session, events, castPath } = show(seen.env.SDD_SESSION_ID);
    expect(session).toMatchObject({
      status: 'finished',
      exitCode: 3,
      itemId: task.id,
      actor: 'tester',
      cols: 90,
      rows: 20,
    });
    const cast = (await readFile(castPath, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(cast[0]).toMatchObject({ version: 2, width: 90, height: 20 });
    const output = cast
      .slice(1)
      .filter((e) => e[1] === 'o')
      .map((e) => e[2])
      .join('');
    expect(output).toContain('hello from the agent');
    expect(output).toContain('second step');

    const checkpoints = events.filter((e): e is CheckpointEvent => e.type === 'checkpoint');
    expect(checkpoints.map((c) => c.trigger)).toEqual(['start', 'files', 'exit']);
    expect(checkpoints[1]!.paths).toEqual([{ path: 'src/notes.ts', status: 'A' }]);
    expect(checkpoints[2]!.paths.map((p) => `${p.status} ${p.path}`).sort()).toEqual([
      'A src/notes.test.ts',
      'D README.md',
    ]);
    expect(checkpoints[1]!.time).toBeGreaterThan(0);
    // the start checkpoint holds the staged change, and its parent is the user's HEAD
    expect(git(cwd, ['show', `${checkpoints[0]!.commit}:staged.txt`])).toBe('v2\n');
    expect(git(cwd, ['rev-parse', `${checkpoints[0]!.commit}^`])).toBe(before.head);

    const diff = sdd(cwd, ['diff', `${session.id}@0`, `${session.id}@-1`]);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('+++ b/src/notes.ts');
    expect(diff.stdout).toContain('--- a/README.md');

    const item = sddJson<ItemDetails>(cwd, ['show', task.id]).item;
    expect(item).toMatchObject({ status: 'open', claim: null });
    expect({
      head: git(cwd, ['rev-parse', 'HEAD']),
      branch: git(cwd, ['symbolic-ref', 'HEAD']),
      index: git(cwd, ['ls-files', '-s']),
      cached: git(cwd, ['diff', '--cached']),
      stash: git(cwd, ['stash', 'list']),
    }).toEqual(before);
  }, 60_000);

  it('--worktree works the task on its own branch and folder; removing the folder keeps the checkpoints', async () => {
    const steps = await script([{ write: 'feature.txt', content: 'in the worktree\n' }, { exit: 0 }]);
    const run = sdd(cwd, ['run', task.id, '--worktree', '--', process.execPath, FAKE_AGENT, steps]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/working in .*\.sdd\/local\/worktrees\/.* on branch sdd\//);
    expect(existsSync(join(cwd, 'feature.txt'))).toBe(false);
    const [worktree] = sddJson<{ name: string; path: string; branch: string; dirty: boolean }[]>(cwd, [
      'worktrees',
    ]);
    expect(worktree).toMatchObject({ dirty: true });
    expect(await readFile(join(worktree!.path, 'feature.txt'), 'utf8')).toBe('in the worktree\n');
    const session = lastSession();
    expect(session.worktree).toBe(worktree!.path);
    // against the files now, a session compares with the worktree it ran in, not the project's folder
    expect(sdd(cwd, ['diff', `${session.id}@0`]).stdout).toContain('+in the worktree');
    expect(sdd(cwd, ['worktrees', 'remove', worktree!.name]).code).toBe(2);
    expect(sdd(cwd, ['worktrees', 'remove', worktree!.name, '--force']).code).toBe(0);
    expect(existsSync(worktree!.path)).toBe(false);
    expect(sddJson<unknown[]>(cwd, ['worktrees'])).toEqual([]);
    const diff = sdd(cwd, ['diff', `${session.id}@0`, `${session.id}@-1`]);
    expect(diff.stdout).toContain('+in the worktree');
    expect(git(cwd, ['branch', '--list', worktree!.branch]).trim()).toContain(worktree!.branch);
  }, 30_000);

  it('works an imported task: spec folder in the environment and the prompt, its box ticked when done', async () => {
    await cp(join(REPO_ROOT, 'test', 'fixtures', 'speckit', 'specs'), join(cwd, 'specs'), {
      recursive: true,
    });
    sddJson(cwd, ['import', 'specs/004-team-notes']);
    const log = join(dir.path, '..', `${dir.path.split('/').pop()}-spec.json`);
    const steps = await script([{ exit: 0 }]);
    const run = sdd(cwd, ['run', 'T003', '--done-on-success', '--', process.execPath, FAKE_AGENT, steps], {
      FAKE_AGENT_LOG: log,
    });
    expect(run.code).toBe(0);
    const seen = JSON.parse(await readFile(log, 'utf8'));
    expect(seen.env.SDD_SPEC_DIR).toBe(join(cwd, 'specs', '004-team-notes'));
    const prompt = await readFile(seen.env.SDD_PROMPT_FILE, 'utf8');
    expect(prompt).toContain('# T003: Configure linting and formatting tools');
    expect(prompt).toContain('specs/004-team-notes/spec.md');
    expect(prompt).toContain('Epic: "Team Notes"');
    expect(await readFile(join(cwd, 'specs', '004-team-notes', 'tasks.md'), 'utf8')).toContain(
      '- [x] T003 [P] Configure',
    );
  }, 30_000);

  it('refuses a program that is not there before claiming anything (exit 127, no session)', () => {
    const missing = sdd(cwd, ['run', task.id, '--', 'no-such-program-here']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('no-such-program-here: command not found');
    expect(sddJson<SessionRecord[]>(cwd, ['sessions'])).toEqual([]);
    expect(sddJson<ItemDetails>(cwd, ['show', task.id]).item).toMatchObject({ status: 'open', claim: null });
    expect(sdd(cwd, ['shell', task.id, '--cmd', 'echo x']).code).toBe(2);
  });

  it('headless: the end of piped input reaches the program; sdd is on its PATH; a task it closes stays closed', async () => {
    const piped = spawnSync(
      process.execPath,
      [SDD_BIN, 'run', task.id, '--cmd', 'cat; sdd done "$SDD_ITEM_ID"'],
      {
        cwd,
        input: 'from the pipe\n',
        encoding: 'utf8',
        env: { ...process.env, SDD_ACTOR: 'tester' },
        timeout: 20_000,
      },
    );
    expect(piped.status).toBe(0);
    expect(piped.stdout).toContain('from the pipe');
    expect(piped.stderr).toContain('is done');
    expect(sddJson<ItemDetails>(cwd, ['show', task.id]).item.status).toBe('done');
  }, 30_000);

  it("restore never touches sdd's own folder, and a fresh project (only .sdd/ untracked) needs no --force", async () => {
    const fresh = await makeTempDir();
    try {
      git(fresh.path, ['init', '-q']);
      await writeFile(join(fresh.path, 'a.txt'), 'one\n');
      git(fresh.path, ['add', '.']);
      git(fresh.path, ['-c', 'user.name=T', '-c', 'user.email=t@e', 'commit', '-qm', 'a']);
      sddJson(fresh.path, ['init']);
      const t = sddJson<Item>(fresh.path, ['create', 'Edit a']);
      const steps = await script([{ write: 'a.txt', content: 'two\n' }, { exit: 0 }]);
      expect(sdd(fresh.path, ['run', t.id, '--', process.execPath, FAKE_AGENT, steps]).code).toBe(0);
      const session = sddJson<SessionRecord[]>(fresh.path, ['sessions'])[0]!;
      git(fresh.path, ['checkout', '--', 'a.txt']); // only .sdd/ is left untracked
      const restored = sdd(fresh.path, ['restore', `${session.id}@-1`]);
      expect(restored.code).toBe(0);
      expect(await readFile(join(fresh.path, 'a.txt'), 'utf8')).toBe('two\n');
      expect(
        sdd(fresh.path, ['restore', git(fresh.path, ['rev-parse', 'HEAD']).trim(), '--force']).code,
      ).toBe(0);
      expect(existsSync(join(fresh.path, '.sdd', 'config.json'))).toBe(true);
      expect(sdd(fresh.path, ['list']).code).toBe(0);
    } finally {
      await fresh.remove();
    }
  }, 30_000);

  it('--done-on-success closes the task when the program exits 0', async () => {
    const steps = await script([{ print: 'ok\r\n' }, { exit: 0 }]);
    const run = sdd(cwd, ['run', task.id, '--done-on-success', '--', process.execPath, FAKE_AGENT, steps]);
    expect(run.code).toBe(0);
    expect(sddJson<ItemDetails>(cwd, ['show', task.id]).item).toMatchObject({ status: 'done', claim: null });
  }, 30_000);

  it('refuses a task that is not ready, and one claimed by someone else, before launching anything', async () => {
    const blocker = sddJson<Item>(cwd, ['create', 'First']);
    sddJson(cwd, ['dep', 'add', task.id, blocker.id]);
    const notReady = sdd(cwd, ['run', task.id, '--cmd', 'echo should-not-run']);
    expect(notReady.code).toBe(4);
    expect(notReady.stdout).not.toContain('should-not-run');
    expect(notReady.stderr).toContain('--force');
    sddJson(cwd, ['claim', blocker.id, '--as', 'someone-else']);
    const taken = sdd(cwd, ['run', blocker.id, '--cmd', 'echo should-not-run']);
    expect(taken.code).toBe(4);
    expect(taken.stderr).toContain('someone-else');
    expect(sddJson<SessionRecord[]>(cwd, ['sessions'])).toEqual([]);
  });

  it('marks and manual checkpoints from inside the session land in its timeline', async () => {
    const steps = await script([
      { write: 'a.txt', content: 'a\n' },
      { checkpoint: 'wrote a' },
      { mark: 'tests pass' },
      { exit: 0 },
    ]);
    const run = sdd(cwd, ['run', task.id, '--', process.execPath, FAKE_AGENT, steps]);
    expect(run.code).toBe(0);
    const { events, castPath } = show(lastSession().id);
    const manual = events.filter(
      (e): e is CheckpointEvent => e.type === 'checkpoint' && e.trigger === 'manual',
    );
    expect(manual.map((m) => m.message)).toEqual(['wrote a']);
    expect(events.filter((e) => e.type === 'marker').map((e) => (e as { label: string }).label)).toEqual([
      'tests pass',
    ]);
    const cast = await readFile(castPath, 'utf8');
    expect(cast).toContain('"m","tests pass"]');
  }, 30_000);

  it("is transparent in a terminal: size, resize, and Ctrl-C reach the program; its exit code is sdd's", async () => {
    const steps = await script([{ print: 'ready\r\n' }, { sleep: 20_000 }]);
    const log = join(dir.path, '..', `${dir.path.split('/').pop()}-tty.json`);
    const term = spawnPty(
      process.execPath,
      [SDD_BIN, 'run', task.id, '--', process.execPath, FAKE_AGENT, steps],
      {
        cols: 77,
        rows: 19,
        cwd,
        env: { ...process.env, SDD_ACTOR: 'tester', FAKE_AGENT_LOG: log } as Record<string, string>,
      },
    );
    let screen = '';
    term.onData((d) => {
      screen += d;
    });
    const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
    for (let i = 0; i < 100 && !screen.includes('ready'); i++) await sleep(100);
    expect(screen).toContain('ready');
    term.resize(101, 33);
    term.write('\x1dm'); // sdd's hot key: a marker
    await sleep(300);
    term.write('\x03');
    // sdd asks whether the task is done: answer no
    for (let i = 0; i < 50 && !screen.includes('done? [y/N]'); i++) await sleep(100);
    term.write('n\r');
    expect(await exited).toBe(130);
    const seen = JSON.parse(await readFile(log, 'utf8'));
    expect(seen.columns).toBe(77);
    const { events, castPath, session } = show(lastSession().id);
    expect(session.exitCode).toBe(130);
    const cast = (await readFile(castPath, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(cast[0]).toMatchObject({ width: 77, height: 19 });
    expect(cast.some((e) => e[1] === 'r' && e[2] === '101x33')).toBe(true);
    expect(events.some((e) => e.type === 'status')).toBe(true);
    expect(events.filter((e) => e.type === 'marker').map((e) => (e as { label: string }).label)).toEqual([
      'marker 1',
    ]);
  }, 60_000);

  it('restores an earlier checkpoint (refusing a dirty tree without --force), replays with --at a checkpoint', async () => {
    const steps = await script([
      { write: 'notes.md', content: 'first\n' },
      { checkpoint: 'first draft' },
      { write: 'notes.md', content: 'second\n' },
      { print: 'wrote the second draft\r\n' },
      { exit: 0 },
    ]);
    expect(sdd(cwd, ['run', task.id, '--', process.execPath, FAKE_AGENT, steps]).code).toBe(0);
    const session = lastSession();
    expect(sddJson<SessionRecord[]>(cwd, ['sessions', '--task', task.id]).map((s) => s.id)).toEqual([
      session.id,
    ]);
    const dirty = sdd(cwd, ['restore', `${session.id}@1`]);
    expect(dirty.code).toBe(2);
    expect(dirty.stderr).toContain('--force');
    const restored = sdd(cwd, ['restore', `${session.id}@1`, '--force']);
    expect(restored.code).toBe(0);
    expect(await readFile(join(cwd, 'notes.md'), 'utf8')).toBe('first\n');
    // the files before were the session's last checkpoint already, so that is the way back
    expect(restored.stdout).toContain("this session's last checkpoint");
    expect(sdd(cwd, ['restore', `${session.id}@-1`, '--force']).code).toBe(0);
    expect(await readFile(join(cwd, 'notes.md'), 'utf8')).toBe('second\n');
    // a state no checkpoint holds gets a safety checkpoint, and restoring that undoes the restore
    await writeFile(join(cwd, 'notes.md'), 'third, unsaved\n');
    const again = sdd(cwd, ['restore', `${session.id}@1`, '--force']);
    const safety = /checkpoint ([0-9a-f]{10})/.exec(again.stdout.split('\n')[1] ?? '')?.[1];
    expect(safety).toBeDefined();
    expect(await readFile(join(cwd, 'notes.md'), 'utf8')).toBe('first\n');
    expect(sdd(cwd, ['restore', safety!, '--force']).code).toBe(0);
    expect(await readFile(join(cwd, 'notes.md'), 'utf8')).toBe('third, unsaved\n');

    const atEnd = sddJson<{ text: string }>(cwd, ['replay', session.id, '--at', '@-1']);
    expect(atEnd.text).toContain('wrote the second draft');
    const atStart = sddJson<{ text: string }>(cwd, ['replay', session.id, '--at', '0']);
    expect(atStart.text).not.toContain('wrote the second draft');
    const castPath = join(cwd, '.sdd', 'local', 'sessions', session.id, 'terminal.cast');
    const fromFile = sdd('/', ['replay', castPath, '--speed', '100']);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toContain('wrote the second draft');
    expect(sdd(cwd, ['replay', session.id, '--at', 'soon']).code).toBe(2);
  }, 30_000);

  it('puts the terminal back in its own mode even when sdd is killed with -9', async () => {
    const steps = await script([{ print: 'agent running\r\n' }, { sleep: 20_000 }]);
    // a shell in a real terminal starts sdd, reports its pid, and reads the terminal's mode once sdd is gone
    const shell = `${process.execPath} ${SDD_BIN} run ${task.id} -- ${process.execPath} ${FAKE_AGENT} ${steps} < /dev/tty & echo "PID=$!"; wait; sleep 1; stty -a`;
    const term = spawnPty('/bin/sh', ['-c', shell], {
      cols: 80,
      rows: 24,
      cwd,
      env: { ...process.env, SDD_ACTOR: 'tester' } as Record<string, string>,
    });
    let screen = '';
    term.onData((d) => {
      screen += d;
    });
    const exited = new Promise<void>((resolve) => term.onExit(() => resolve()));
    for (let i = 0; i < 100 && !screen.includes('agent running'); i++) await sleep(100);
    const pid = Number(/PID=(\d+)/.exec(screen)?.[1]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    await exited;
    const modes = screen.slice(screen.lastIndexOf('speed'));
    expect(modes).toMatch(/(^|\s)icanon(\s|$)/);
    expect(modes).toMatch(/(^|\s)echo(\s|$)/);
    expect(modes).not.toMatch(/-icanon/);
  }, 30_000);

  it('after kill -9 the cast is valid to its last second, recover finishes the session, and the claim expires', async () => {
    const printing = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => [{ print: `line ${from + i}\r\n` }, { sleep: 50 }]).flat();
    // a file written just before the kill: too recent for a burst checkpoint, so only recover can save it
    const steps = await script([
      ...printing(0, 40),
      { write: 'late.txt', content: 'late\n' },
      ...printing(40, 200),
    ]);
    const child = spawn(
      process.execPath,
      [SDD_BIN, 'run', task.id, '--ttl', '3s', '--', process.execPath, FAKE_AGENT, steps],
      {
        cwd,
        env: { ...process.env, SDD_ACTOR: 'tester' },
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 100 && !existsSync(join(cwd, 'late.txt')); i++) await sleep(100);
    await sleep(300);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const running = lastSession();
    expect(running.status).toBe('running');
    const castText = await readFile(
      join(cwd, '.sdd', 'local', 'sessions', running.id, 'terminal.cast'),
      'utf8',
    );
    const lines = castText.split('\n').filter((l) => l !== '');
    for (const line of lines) JSON.parse(line); // every line written is whole
    const printed = lines
      .slice(1)
      .map((l) => JSON.parse(l)[2])
      .join('');
    expect(printed).toContain('line 10');

    const hint = sdd(cwd, ['list']);
    expect(hint.stderr).toContain('sdd sessions recover');
    const recovered = sddJson<{ session: SessionRecord }[]>(cwd, ['sessions', 'recover']);
    expect(recovered.map((r) => r.session.id)).toEqual([running.id]);
    const after = show(running.id);
    expect(after.session.status).toBe('interrupted');
    expect(after.session.endedAt).not.toBeNull();
    expect(after.events.filter((e) => e.type === 'checkpoint').at(-1)).toMatchObject({
      trigger: 'exit',
      paths: [{ path: 'late.txt', status: 'A' }],
    });
    expect(sdd(cwd, ['list']).stderr).not.toContain('recover');

    await sleep(3500); // past the 3 s lease, which nobody renews any more
    const again = await sddAsync(cwd, ['claim', task.id, '--as', 'next-agent', '--json']);
    expect(again.code).toBe(0);
  }, 60_000);
});
