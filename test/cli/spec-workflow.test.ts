// The spec workflow end to end with a scripted fake agent (test/fixtures/phase-agent.mjs) in real
// PTYs and a real git repository: specify -> clarify -> plan -> tasks -> implement, then the epic's
// history (phases, sessions, decisions with their moments, artifact versions) and the tracker.

import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Decision } from '../../src/core/decisions.js';
import type { ItemDetails } from '../../src/core/service.js';
import type { Item } from '../../src/core/types.js';
import { git, REPO_ROOT, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const PHASE_AGENT = join(REPO_ROOT, 'test', 'fixtures', 'phase-agent.mjs');
const AGENT = ['--', process.execPath, PHASE_AGENT];
const ENV = { PHASE_AGENT_PAUSE: '1700' };

interface Outcome {
  phase: string;
  epic: { id: string; key: string };
  specDir: string;
  session: {
    id: string;
    phase?: string;
    itemId: string;
    recordedIn?: string | null;
    endedAt?: string | null;
  };
  exitCode: number | null;
  links: { decisions?: { decisions: Decision[] }; tasks?: { created: number } | null; openMarkers?: number };
}

interface History {
  epic: { id: string; key: string };
  phases: {
    phase: string;
    sessions: { id: string; task: string | null; actor: string; agent: string; exitCode: number | null }[];
  }[];
  decisions: Decision[];
  artifacts: {
    file: string;
    versions: { version: string; source: string; author: string; sessionId: string | null; commit: string }[];
  }[];
}

/** The last line of stdout: a phase's --json outcome comes after the agent's own output. */
function outcomeOf(stdout: string): Outcome {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Outcome;
}

describe('the spec workflow', () => {
  let dir: { path: string; remove(): Promise<void> };
  let cwd: string;

  beforeEach(async () => {
    dir = await makeTempDir();
    cwd = dir.path;
    git(cwd, ['init', '-q', '-b', 'main']);
    git(cwd, ['config', 'user.name', 'Tess']);
    git(cwd, ['config', 'user.email', 'tess@example.com']);
    await writeFile(join(cwd, 'README.md'), '# albums\n');
    git(cwd, ['add', '.']);
    git(cwd, ['commit', '-qm', 'initial']);
    sddJson(cwd, ['init']);
    git(cwd, ['add', '.sdd']);
    git(cwd, ['commit', '-qm', 'sdd']);
  });
  afterEach(async () => {
    await dir.remove();
  });

  function phase(args: string[], env: Record<string, string> = {}): Outcome {
    const result = sdd(cwd, [...args, '--json', ...AGENT], { ...ENV, ...env });
    if (result.code !== 0) throw new Error(`sdd ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return outcomeOf(result.stdout);
  }

  it('goes from a description to done tasks, and the epic keeps every phase, decision and version', async () => {
    await writeFile(
      join(cwd, '.sdd', 'context', 'constitution.md'),
      '# Constitution\n\nEvery album is private unless shared.\n',
    );
    const specified = phase(['specify', 'Photo albums people can share']);
    // The phase prompt carries the team context.
    const { promptPath } = sddJson<{ promptPath: string }>(cwd, ['session', 'show', specified.session.id]);
    expect(await readFile(promptPath, 'utf8')).toContain('Every album is private unless shared.');
    expect(specified.epic.key).toBe('001-photo-albums-people');
    expect(specified.session).toMatchObject({ phase: 'specify', itemId: specified.epic.id });
    expect(git(cwd, ['symbolic-ref', '--short', 'HEAD']).trim()).toBe('001-photo-albums-people');
    const specPath = join(cwd, specified.specDir, 'spec.md');
    expect(await readFile(specPath, 'utf8')).toContain('[NEEDS CLARIFICATION: who may see a shared album?]');

    // On the epic's branch, the later phases need no epic named.
    const clarified = phase(['clarify']);
    const decisions = clarified.links.decisions!.decisions;
    expect(decisions.map((d) => [d.question, d.choice])).toEqual([
      ['Who may see a shared album?', 'Only the people the owner invites, by email address'],
      ['How long are photos kept?', 'deferred'],
    ]);
    for (const d of decisions)
      expect(d).toMatchObject({ sessionId: clarified.session.id, source: 'clarifications' });
    // Each answer at the checkpoint where its line first appeared: the second came later.
    expect(decisions[0]!.sessionTime).toBeGreaterThan(0);
    expect(decisions[1]!.sessionTime!).toBeGreaterThan(decisions[0]!.sessionTime!);
    expect(clarified.links.openMarkers).toBe(0);

    // An edit between sessions, committed by someone else: a version by its author, from git.
    await writeFile(
      specPath,
      `${await readFile(specPath, 'utf8')}\n## Notes\n\nAlbums are private by default.\n`,
    );
    git(cwd, ['add', '.']);
    git(cwd, ['-c', 'user.name=Pat', '-c', 'user.email=pat@example.com', 'commit', '-qm', 'spec: a note']);

    phase(['plan', '001-photo-albums-people']);
    for (const file of [
      'plan.md',
      'research.md',
      'data-model.md',
      'quickstart.md',
      'contracts/albums.yaml',
    ]) {
      expect(existsSync(join(cwd, specified.specDir, file))).toBe(true);
    }
    const tasked = phase(['tasks']);
    expect(tasked.links.tasks).toMatchObject({ created: 5 }); // two phases, three tasks

    const implemented = sdd(cwd, ['implement', '--json', ...AGENT], ENV);
    expect(implemented.code).toBe(0);
    for (const t of ['T001', 'T002', 'T003']) expect(existsSync(join(cwd, 'src', `${t}.txt`))).toBe(true);

    const history = sddJson<History>(cwd, ['epic', 'show', '001-photo-albums-people']);
    const sessionsOf = (name: string) => history.phases.find((p) => p.phase === name)!.sessions;
    for (const name of ['specify', 'clarify', 'plan', 'tasks']) {
      expect(sessionsOf(name)).toEqual([
        expect.objectContaining({ actor: 'tester', agent: 'generic', exitCode: 0 }),
      ]);
    }
    expect(sessionsOf('clarify')[0]!.id).toBe(clarified.session.id);
    expect(sessionsOf('implement').map((s) => s.task)).toEqual(['T001', 'T002', 'T003']);
    expect(history.decisions.map((d) => [d.choice, d.sessionId, d.sessionTime])).toEqual(
      decisions.map((d) => [d.choice, clarified.session.id, d.sessionTime]),
    );

    const spec = history.artifacts.find((a) => a.file === `${specified.specDir}/spec.md`)!;
    // The template, the agent's spec, two clarifications, Pat's committed note.
    expect(spec.versions.map((v) => [v.version, v.source, v.author])).toEqual([
      ['v1', 'session', 'tester'],
      ['v2', 'session', 'tester'],
      ['v3', 'session', 'tester'],
      ['v4', 'session', 'tester'],
      ['v5', 'git', 'Pat'],
    ]);
    expect(spec.versions[2]!.sessionId).toBe(clarified.session.id);
    const files = history.artifacts.map((a) => a.file.slice(specified.specDir.length + 1));
    expect(files).toEqual([
      'spec.md',
      'plan.md',
      'research.md',
      'data-model.md',
      'quickstart.md',
      'contracts/albums.yaml',
      'tasks.md',
    ]);

    const diff = sdd(cwd, ['artifact', 'diff', '001-photo-albums-people', 'spec.md', 'v4', 'v5']);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('--- specs/001-photo-albums-people/spec.md v4');
    expect(diff.stdout).toContain('+Albums are private by default.');
    expect(diff.stdout).not.toContain('+## Clarifications');
    const log = sddJson<History['artifacts']>(cwd, ['artifact', 'log', '001-photo-albums-people', 'plan.md']);
    expect(log).toHaveLength(1);
    expect(log[0]!.versions.map((v) => v.version)).toEqual(['v1', 'v2']); // the template, then the plan

    // The tracker holds the tasks, done, each with its session.
    const tasks = sddJson<Item[]>(cwd, ['list', '--type', 'task']);
    expect(tasks.map((t) => [t.source?.ref, t.status])).toEqual([
      ['T001', 'done'],
      ['T002', 'done'],
      ['T003', 'done'],
    ]);
    const shown = sddJson<ItemDetails & { sessions: { id: string }[] }>(cwd, ['show', 'T002']);
    expect(shown.sessions.map((s) => s.id)).toEqual([sessionsOf('implement')[1]!.id]);

    const found = sddJson<(Decision & { replay: string })[]>(cwd, ['decisions', '--grep', 'invites']);
    expect(found).toHaveLength(1);
    expect(found[0]!.replay).toBe(
      `sdd replay ${clarified.session.id} --at ${decisions[0]!.sessionTime!.toFixed(1)}`,
    );
  });

  it('stops implementing at the first task that fails, says which, and leaves the rest', async () => {
    phase(['specify', 'Photo albums']);
    phase(['tasks']);
    const result = sdd(cwd, ['implement', ...AGENT], { ...ENV, PHASE_AGENT_FAIL: 'T002' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('T002 failed (exit 1)');
    const status = sddJson<Item[]>(cwd, ['list', '--type', 'task']).map((t) => [t.source?.ref, t.status]);
    expect(status).toEqual([
      ['T001', 'done'],
      ['T002', 'open'],
      ['T003', 'open'],
    ]);
    expect(existsSync(join(cwd, 'src', 'T003.txt'))).toBe(false);

    // An agent already running works the rest itself: --here lists what is ready and registers the phase.
    const here = sddJson<Outcome & { instructions: string }>(cwd, ['implement', '--here']);
    expect(here.instructions).toContain('- T002 Album model in src/albums/album.ts');
    expect(here.instructions).not.toContain('T003 Album store');
    expect(sdd(cwd, ['implement', '--here', '--done']).code).toBe(0);
    const history = sddJson<History>(cwd, ['epic', 'show']);
    const implement = history.phases.find((p) => p.phase === 'implement')!.sessions;
    expect(implement.map((s) => s.task)).toEqual(['T001', 'T002', null]);
  });

  it('runs parallel tasks at once in worktrees of their own with --parallel', async () => {
    phase(['specify', 'Photo albums']);
    git(cwd, ['add', '.']);
    git(cwd, ['commit', '-qm', 'spec']);
    phase(['tasks'], { PHASE_AGENT_PARALLEL: '1' });
    git(cwd, ['add', '.']);
    git(cwd, ['commit', '-qm', 'tasks']);
    const result = sdd(cwd, ['implement', '--parallel', '2', '--json', ...AGENT], ENV);
    expect(result.code, result.stderr).toBe(0);
    const { runs } = JSON.parse(result.stdout) as { runs: { task: string; done: boolean; log: string }[] };
    expect(runs.map((r) => r.task).sort()).toEqual(['T001', 'T002', 'T003']);
    const worktrees = sddJson<{ name: string; branch: string }[]>(cwd, ['worktrees']);
    expect(worktrees).toHaveLength(3);
    for (const w of worktrees) {
      const task = /sdd\/(T00\d)-/.exec(w.branch)![1]!;
      expect(existsSync(join(cwd, w.name, 'src', `${task}.txt`))).toBe(true);
    }
    // T002 and T003 (both [P], after T001) were under way together: each began before the other ended.
    const history = sddJson<{
      phases: { phase: string; sessions: { task: string; startedAt: string; endedAt: string }[] }[];
    }>(cwd, ['epic', 'show']);
    const sessions = history.phases.find((p) => p.phase === 'implement')!.sessions;
    const [t2, t3] = ['T002', 'T003'].map((t) => sessions.find((s) => s.task === t)!);
    expect(t2!.startedAt < t3!.endedAt && t3!.startedAt < t2!.endedAt).toBe(true);
    // The code is on the tasks' branches, not in the project's own folder.
    expect(existsSync(join(cwd, 'src'))).toBe(false);
    expect(sddJson<Item[]>(cwd, ['list', '--type', 'task']).every((t) => t.status === 'done')).toBe(true);
  });

  it('numbers a new epic after the spec folders this clone already has', async () => {
    await mkdir(join(cwd, 'specs', '007-old-work'), { recursive: true });
    expect(sddJson<Outcome>(cwd, ['specify', '--here', 'Photo albums']).epic.key).toBe('008-photo-albums');
    expect(sdd(cwd, ['specify', '  ']).code).toBe(2);
    // An agent that is not installed: refused before a number, a branch or a folder is taken.
    const missing = sdd(cwd, ['specify', 'Search', '--', 'no-such-agent-here']);
    expect(missing.code).toBe(127);
    expect(sddJson<Item[]>(cwd, ['list', '--type', 'epic'])).toHaveLength(1);
    expect(existsSync(join(cwd, 'specs', '009-search'))).toBe(false);
    expect(git(cwd, ['branch', '--list', '009-search']).trim()).toBe('');
    // A later phase needs the spec in this folder (a teammate's epic on a branch not pulled, say).
    await rm(join(cwd, 'specs', '008-photo-albums', 'spec.md'));
    const plan = sdd(cwd, ['plan', '008-photo-albums', '--', 'true']);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toContain('specs/008-photo-albums/spec.md is not in this folder');
    // A tasks phase that wrote no tasks.md imports nothing and says so.
    await writeFile(
      join(cwd, 'specs', '008-photo-albums', 'spec.md'),
      '# Feature Specification: Photo albums\n',
    );
    const tasks = sdd(cwd, ['tasks', '008-photo-albums', '--', 'true']);
    expect(tasks.code).toBe(1);
    expect(tasks.stdout).toContain('no specs/008-photo-albums/tasks.md was written: nothing imported');
    expect(sddJson<Item[]>(cwd, ['list', '--type', 'task'])).toEqual([]);
  });

  it('registers phases for an agent already running (--here), and links what appeared at --here --done', async () => {
    const started = sddJson<Outcome & { instructions: string }>(cwd, ['specify', '--here', 'Team notes']);
    expect(started.session).toMatchObject({ phase: 'specify', recordedIn: null, endedAt: null });
    // Nothing records it, so `sdd sessions` never takes it for a dead recording.
    expect(sdd(cwd, ['sessions']).stdout).not.toContain('dead');
    expect(started.instructions).toContain(`${started.specDir}/spec.md`);
    const clarify = sddJson<Outcome & { session: { agent: string } }>(cwd, [
      'clarify',
      '--here',
      '--agent',
      'gemini',
    ]);
    expect(clarify.session.agent).toBe('gemini');
    const spec = join(cwd, started.specDir, 'spec.md');
    await writeFile(
      spec,
      `${await readFile(spec, 'utf8')}\n## Clarifications\n### Session 2026-01-01\n- Q: Markdown? → A: Yes\n\nstray words\n`,
    );
    const done = sdd(cwd, ['clarify', '--here', '--done']);
    expect(done.code).toBe(0);
    expect(done.stderr).toMatch(/spec\.md:\d+: warning: not a "- Q:/);
    const decisions = sddJson<Decision[]>(cwd, ['decisions']);
    expect(decisions).toEqual([
      expect.objectContaining({ question: 'Markdown?', choice: 'Yes', sessionId: null }),
    ]);
    // --done again has nothing open.
    expect(sdd(cwd, ['clarify', '--here', '--done']).code).not.toBe(0);

    // Inside a recorded phase session: the phase is registered in it.
    const script = join(cwd, '..', `${cwd.split('/').pop()}-inner.sh`);
    await writeFile(
      script,
      `sdd plan --here > /dev/null && echo '# plan' > ${started.specDir}/plan.md && sdd plan --here --done > /dev/null\n`,
    );
    const wrapped = sdd(cwd, ['clarify', '--json', '--', '/bin/sh', script]);
    expect(wrapped.code).toBe(0);
    const wrapping = outcomeOf(wrapped.stdout).session.id;
    const history = sddJson<History>(cwd, ['epic', 'show']);
    const plan = history.phases.find((p) => p.phase === 'plan')!.sessions;
    expect(plan).toEqual([expect.objectContaining({ recordedIn: wrapping, exitCode: 0 })]);
    const planFile = history.artifacts.find((a) => a.file.endsWith('/plan.md'))!;
    expect(planFile.versions.some((v) => v.sessionId === wrapping)).toBe(true);
    // The session around it marks where the phase began and checkpoints its end.
    const { events } = sddJson<{ events: { type: string; label?: string; message?: string }[] }>(cwd, [
      'session',
      'show',
      wrapping,
    ]);
    // One marker where it began: its end is the checkpoint, not a second "begins".
    expect(
      events.filter((e) => e.type === 'marker' && e.label === 'plan of 001-team-notes begins'),
    ).toHaveLength(1);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'checkpoint', message: 'plan of 001-team-notes done' }),
    );
  });

  it('picks the epic of the branch, else the only open one, else names them', async () => {
    sddJson(cwd, ['specify', '--here', '--no-branch', 'Team notes']);
    expect(sddJson<Outcome>(cwd, ['clarify', '--here']).epic.key).toBe('001-team-notes');
    sddJson(cwd, ['specify', '--here', '--no-branch', 'Search']);
    const both = sdd(cwd, ['clarify', '--here']);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('001-team-notes');
    expect(both.stderr).toContain('002-search');
    git(cwd, ['switch', '-q', '-c', '002-search']);
    expect(sddJson<Outcome>(cwd, ['clarify', '--here']).epic.key).toBe('002-search');
  });
});
