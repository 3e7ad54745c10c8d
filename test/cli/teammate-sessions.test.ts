// A teammate's clone (another HOME, only the committed config) sees a session recorded in the first
// clone through the team server: listed, shown, replayed at a moment and its transcript read, all as
// the recording clone sees them; its checkpoints say plainly that they are not here.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/session.js';
import type { Item } from '../../src/core/types.js';
import { git, REPO_ROOT, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { type ServerProcess, startServerProcess, userEnv } from './server-harness.js';

const FAKE_AGENTS = join(REPO_ROOT, 'test', 'fixtures', 'agents');

describe("a teammate's clone", () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let server: ServerProcess;
  let alice: { cwd: string; env: Record<string, string | undefined> };
  let bob: { cwd: string; env: Record<string, string | undefined> };
  let session: SessionRecord;

  beforeAll(async () => {
    dir = await makeTempDir('sdd-teammate-');
    server = await startServerProcess(join(dir.path, 'server-home'), ['--data', join(dir.path, 'data')]);
    const token = server.firstToken!;
    const person = (name: string) => {
      const home = join(dir.path, `home-${name}`);
      return userEnv(home, {
        SDD_TOKEN: token,
        PATH: `${FAKE_AGENTS}:${process.env.PATH}`,
        CODEX_HOME: join(home, 'codex'),
      });
    };
    alice = { cwd: join(dir.path, 'alice'), env: person('alice') };
    await mkdir(alice.cwd);
    git(alice.cwd, ['init', '-q', '-b', 'main']);
    git(alice.cwd, ['config', 'user.name', 'Alice']);
    git(alice.cwd, ['config', 'user.email', 'alice@example.com']);
    await writeFile(join(alice.cwd, 'README.md'), '# shared project\n');
    sddJson(alice.cwd, ['init'], alice.env);
    expect(sdd(alice.cwd, ['remote', 'set', server.url], alice.env).code).toBe(0);
    git(alice.cwd, ['add', '.']);
    git(alice.cwd, ['commit', '-qm', 'project, linked to the team server']);
    const task = sddJson<Item>(alice.cwd, ['create', 'Explain the project'], alice.env);
    const run = sdd(alice.cwd, ['run', task.id, '--agent', 'codex', '--headless'], alice.env);
    expect(run.code, run.stderr).toBe(0);
    session = sddJson<SessionRecord[]>(alice.cwd, ['sessions', '--json'], alice.env)[0]!;

    bob = { cwd: join(dir.path, 'bob'), env: person('bob') };
    // --no-local: as over a network, only what refs reach travels (a local clone would copy every object)
    git(dir.path, ['clone', '-q', '--no-local', alice.cwd, bob.cwd]);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await dir?.remove();
  });

  it('lists and shows the session, with its events', () => {
    const listed = sddJson<SessionRecord[]>(bob.cwd, ['sessions', '--json'], bob.env);
    expect(listed.map((s) => s.id)).toContain(session.id);
    const mine = sddJson<{ events: unknown[] }>(
      alice.cwd,
      ['session', 'show', session.id, '--json'],
      alice.env,
    );
    const theirs = sddJson<{ events: unknown[]; castPath: string | null }>(
      bob.cwd,
      ['session', 'show', session.id, '--json'],
      bob.env,
    );
    expect(theirs.events).toEqual(mine.events);
    expect(theirs.castPath).toBeNull(); // not on this machine: read through the server
    expect(sdd(bob.cwd, ['session', 'show', session.id], bob.env).stdout).toContain(session.id);
  });

  it('sdd show of the task lists the sessions that worked on it, from either clone', () => {
    for (const person of [alice, bob]) {
      const shown = sddJson<{
        sessions: { id: string; actor: string; agent: string; checkpoints: number }[];
      }>(person.cwd, ['show', session.itemId, '--json'], person.env);
      expect(shown.sessions).toEqual([
        expect.objectContaining({ id: session.id, actor: session.actor, agent: session.agent }),
      ]);
      expect(shown.sessions[0]!.checkpoints).toBeGreaterThan(0);
      expect(sdd(person.cwd, ['show', session.itemId], person.env).stdout).toContain(`sessions (`);
    }
  });

  it('replays it at a moment and reads its transcript, as the recording clone does', () => {
    const at = ['replay', session.id, '--at', '9999']; // past the end: the last screen
    const mine = sdd(alice.cwd, at, alice.env);
    const theirs = sdd(bob.cwd, at, bob.env);
    expect(theirs.code, theirs.stderr).toBe(0);
    expect(theirs.stdout).toBe(mine.stdout);
    const transcript = ['session', 'transcript', session.id, '--json'];
    expect(sddJson(bob.cwd, transcript, bob.env)).toEqual(sddJson(alice.cwd, transcript, alice.env));
  });

  it("diffs, restores and forks from the session's checkpoints, fetched from the server as bundles", () => {
    const diff = ['diff', `${session.id}@0`, `${session.id}@-1`];
    const theirs = sdd(bob.cwd, diff, bob.env);
    expect(theirs.code, theirs.stderr).toBe(0);
    expect(theirs.stdout).toBe(sdd(alice.cwd, diff, alice.env).stdout);
    // kept under a private ref of Bob's clone, so a second look needs no server
    expect(git(bob.cwd, ['for-each-ref', '--format=%(refname)', 'refs/sdd/fetched/'])).toContain(session.id);
    const restored = sdd(bob.cwd, ['restore', `${session.id}@-1`], bob.env);
    expect(restored.code, restored.stderr).toBe(0);
    const forked = sdd(
      bob.cwd,
      ['fork', `${session.id}@-1`, '--worktree', '--cmd', 'echo forked > fork.txt'],
      bob.env,
    );
    expect(forked.code, forked.stderr).toBe(0);
  });
});
