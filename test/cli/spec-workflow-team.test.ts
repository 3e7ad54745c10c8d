// The spec workflow through a team server, from two clones: `sdd specify` in both at once gets two
// numbers, and the second clone sees the first one's phases, decisions and artifact versions (its
// checkpoints come from the server's bundles), and diffs them.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../../src/core/decisions.js';
import { git, REPO_ROOT, sdd, sddAsync, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { type ServerProcess, startServerProcess, userEnv } from './server-harness.js';

const AGENT = ['--', process.execPath, join(REPO_ROOT, 'test', 'fixtures', 'phase-agent.mjs')];

interface History {
  phases: { phase: string; sessions: { id: string; actor: string }[] }[];
  decisions: Decision[];
  artifacts: {
    file: string;
    versions: { version: string; source: string; sessionId: string | null; commit: string }[];
  }[];
}

describe('the spec workflow on a team server', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let server: ServerProcess;
  let alice: { cwd: string; env: Record<string, string | undefined> };
  let bob: { cwd: string; env: Record<string, string | undefined> };
  let albums: string;
  let search: string;

  beforeAll(async () => {
    dir = await makeTempDir('sdd-workflow-team-');
    server = await startServerProcess(join(dir.path, 'server-home'), ['--data', join(dir.path, 'data')]);
    const person = (name: string) =>
      userEnv(join(dir.path, `home-${name}`), {
        SDD_TOKEN: server.firstToken!,
        SDD_ACTOR: name,
        PHASE_AGENT_PAUSE: '1700',
      });
    alice = { cwd: join(dir.path, 'alice'), env: person('alice') };
    await mkdir(alice.cwd);
    git(alice.cwd, ['init', '-q', '-b', 'main']);
    git(alice.cwd, ['config', 'user.name', 'Alice']);
    git(alice.cwd, ['config', 'user.email', 'alice@example.com']);
    await writeFile(join(alice.cwd, 'README.md'), '# albums\n');
    sddJson(alice.cwd, ['init'], alice.env);
    expect(sdd(alice.cwd, ['remote', 'set', server.url], alice.env).code).toBe(0);
    git(alice.cwd, ['add', '.']);
    git(alice.cwd, ['commit', '-qm', 'project, linked to the team server']);
    bob = { cwd: join(dir.path, 'bob'), env: person('bob') };
    git(dir.path, ['clone', '-q', '--no-local', alice.cwd, bob.cwd]);

    // Both at once, neither clone with a specs/ folder: the server hands out the numbers.
    const [a, b] = await Promise.all([
      sddAsync(alice.cwd, ['specify', '--here', '--no-branch', '--json', 'Photo albums'], alice.env),
      sddAsync(bob.cwd, ['specify', '--here', '--no-branch', '--json', 'Search'], bob.env),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    albums = JSON.parse(a.stdout).epic.key;
    search = JSON.parse(b.stdout).epic.key;

    for (const phase of ['clarify', 'plan', 'tasks']) {
      const run = sdd(alice.cwd, [phase, albums, ...AGENT], alice.env);
      expect(run.code, run.stderr).toBe(0);
    }
  }, 240_000);
  afterAll(async () => {
    await server?.stop();
    await dir?.remove();
  });

  it('gives two clones specifying at once two different numbers', () => {
    expect(new Set([albums.slice(0, 3), search.slice(0, 3)])).toEqual(new Set(['001', '002']));
    expect(albums).toMatch(/-photo-albums$/);
    expect(search).toMatch(/-search$/);
  });

  it("shows the second clone the first one's phases, decisions and artifact versions", () => {
    const mine = sddJson<History>(alice.cwd, ['epic', 'show', albums], alice.env);
    const theirs = sddJson<History>(bob.cwd, ['epic', 'show', albums], bob.env);
    const phases = (h: History) => h.phases.map((p) => [p.phase, p.sessions.map((s) => [s.id, s.actor])]);
    expect(phases(theirs)).toEqual(phases(mine));
    for (const name of ['specify', 'clarify', 'plan', 'tasks']) {
      expect(theirs.phases.find((p) => p.phase === name)!.sessions).toHaveLength(1);
    }
    expect(theirs.decisions.map((d) => [d.choice, d.sessionId, d.sessionTime])).toEqual(
      mine.decisions.map((d) => [d.choice, d.sessionId, d.sessionTime]),
    );
    expect(theirs.decisions).toHaveLength(2);
    expect(theirs.decisions[0]!.sessionId).toBe(
      mine.phases.find((p) => p.phase === 'clarify')!.sessions[0]!.id,
    );
    expect(theirs.artifacts).toEqual(mine.artifacts);
    expect(theirs.artifacts.find((a) => a.file.endsWith('/spec.md'))!.versions.length).toBeGreaterThanOrEqual(
      2,
    );
  });

  it('diffs the versions of a teammate artifact from the server bundles, and finds its decisions', () => {
    const diff = sdd(bob.cwd, ['artifact', 'diff', albums, 'spec.md', 'v1', 'v2'], bob.env);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain('+## Clarifications');
    const found = sddJson<Decision[]>(bob.cwd, ['decisions', albums, '--grep', 'shared album'], bob.env);
    expect(found.map((d) => d.actor)).toEqual(['alice']);
    expect(sddJson<unknown[]>(bob.cwd, ['list', '--type', 'task', '--epic', albums], bob.env)).toHaveLength(
      3,
    );
  });
});
