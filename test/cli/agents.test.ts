// Agent adapters through `sdd run --agent`: a fake agent CLI on PATH that takes the real flags and
// writes its transcript where the real one does; sdd launches it right and keeps this session's transcript.

import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/session.js';
import type { Transcript } from '../../src/core/transcript.js';
import type { Item } from '../../src/core/types.js';
import { withoutMcpArgs } from '../helpers/mcp-args.js';
import { git, REPO_ROOT, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FAKE_AGENTS = join(REPO_ROOT, 'test', 'fixtures', 'agents');

describe('agent adapters', () => {
  let dir: { path: string; remove(): Promise<void> };
  let home: { path: string; remove(): Promise<void> };
  let cwd: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = await makeTempDir();
    home = await makeTempDir('sdd-agent-home-');
    cwd = dir.path;
    git(cwd, ['init', '-q']);
    await writeFile(join(cwd, 'README.md'), '# x\n');
    sddJson(cwd, ['init']);
    env = {
      PATH: `${FAKE_AGENTS}:${process.env.PATH}`,
      CLAUDE_CONFIG_DIR: join(home.path, 'claude'),
      HOME: home.path,
    };
  });
  afterEach(async () => {
    await dir.remove();
    await home.remove();
  });

  it('lists the adapters, which are installed, and their versions', () => {
    const agents = sddJson<{ name: string; installed: boolean; version: string | null }[]>(
      cwd,
      ['agents'],
      env,
    );
    expect(agents.find((a) => a.name === 'claude-code')).toMatchObject({
      installed: true,
      version: '2.0.14 (Claude Code)',
    });
    expect(agents.find((a) => a.name === 'generic')).toMatchObject({ installed: true });
    expect(agents.find((a) => a.name === 'claude-code')).toMatchObject({ names: ['claude-code', 'claude'] });
    expect(sdd(cwd, ['agents'], env).stdout).toMatch(/✓ claude-code, claude +Claude Code {2}\(2\.0\.14/);
    const without = sddJson<{ name: string; installed: boolean }[]>(cwd, ['agents'], {
      PATH: '/usr/bin:/bin',
    });
    expect(without.find((a) => a.name === 'claude-code')?.installed).toBe(false);
  });

  it('claude-code: launched with a session id chosen up front and the prompt; its own transcript, not a neighbour', async () => {
    const task = sddJson<Item>(cwd, ['create', 'List the files']);
    const log = join(home.path, 'argv.json');
    const run = sdd(cwd, ['run', task.id, '--agent', 'claude-code', '--done-on-success'], {
      ...env,
      FAKE_AGENT_LOG: log,
    });
    expect(run.code).toBe(0);
    const seen = JSON.parse(await readFile(log, 'utf8'));
    const session = sddJson<SessionRecord[]>(cwd, ['sessions'], env)[0]!;
    expect(session.agent).toBe('claude-code');
    expect(withoutMcpArgs(seen.argv)[0]).toBe('--session-id');
    expect(withoutMcpArgs(seen.argv)[1]).toBe(session.conversationId);
    expect(seen.argv.at(-1)).toContain('List the files');

    const transcript = sddJson<Transcript>(cwd, ['session', 'transcript', session.id], env);
    const kinds = transcript.entries.map((e) => e.kind);
    expect(kinds).toEqual(['user', 'assistant', 'tool_call', 'tool_result', 'assistant']);
    expect(transcript.entries[0]!.text).toContain('List the files');
    expect(transcript.entries[1]).toMatchObject({
      text: 'I will look at the files first.',
      model: 'claude-sonnet-4-5-20250929',
    });
    expect(transcript.entries[2]!.tool).toMatchObject({
      name: 'Bash',
      input: { command: 'ls', description: 'List files' },
    });
    expect(transcript.entries[3]).toMatchObject({
      text: 'README.md\nsrc',
      result: { callId: 'toolu_01Fake', isError: false },
    });
    expect(JSON.stringify(transcript)).not.toContain('DECOY');
    const text = sdd(cwd, ['session', 'transcript', session.id], env);
    expect(text.stdout).toContain('→ Bash');
  }, 30_000);

  it('claude-code hooks, for this run only: the transcript path reported at start, a checkpoint at each turn end', async () => {
    const task = sddJson<Item>(cwd, ['create', 'Use the hooks']);
    const settingsBefore = existsSync(join(home.path, 'claude', 'settings.json'));
    const run = sdd(cwd, ['run', task.id, '--agent', 'claude-code'], {
      ...env,
      FAKE_CLAUDE_ELSEWHERE: '1',
      FAKE_CLAUDE_EDITS: '1',
    });
    expect(run.code).toBe(0);
    const session = sddJson<SessionRecord[]>(cwd, ['sessions'], env)[0]!;
    const transcript = sddJson<Transcript>(cwd, ['session', 'transcript', session.id], env);
    expect(transcript.entries.map((e) => e.kind)).toEqual([
      'user',
      'assistant',
      'tool_call',
      'tool_result',
      'assistant',
    ]);
    const shown = sddJson<{ events: { type: string; trigger?: string }[] }>(
      cwd,
      ['session', 'show', session.id],
      env,
    );
    expect(shown.events.filter((e) => e.type === 'checkpoint').map((e) => e.trigger)).toContain('turn');
    expect(existsSync(join(home.path, 'claude', 'settings.json'))).toBe(settingsBefore);
  }, 30_000);

  it('an agent whose --version is too slow to answer is installed, its version unknown', async () => {
    const bin = join(home.path, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'claude'), '#!/bin/sh\nsleep 8\necho 9.9.9\n', { mode: 0o755 });
    const started = Date.now();
    const agents = sddJson<{ name: string; installed: boolean; version: string | null }[]>(cwd, ['agents'], {
      PATH: `${bin}:/usr/bin:/bin`,
    });
    expect(Date.now() - started).toBeLessThan(8000);
    expect(agents.find((a) => a.name === 'claude-code')).toMatchObject({ installed: true, version: null });
    expect(sdd(cwd, ['agents'], { PATH: `${bin}:/usr/bin:/bin` }).stdout).toContain(
      'Claude Code  (installed, version unknown)',
    );
  }, 30_000);

  it('--agent takes the command people type (claude) and records the agent by its own name', async () => {
    const task = sddJson<Item>(cwd, ['create', 'By its command']);
    const log = join(home.path, 'argv.json');
    const run = sdd(cwd, ['run', task.id, '--agent', 'claude'], { ...env, FAKE_AGENT_LOG: log });
    expect(run.code, run.stderr).toBe(0);
    expect(withoutMcpArgs(JSON.parse(await readFile(log, 'utf8')).argv)[0]).toBe('--session-id');
    expect(sddJson<SessionRecord[]>(cwd, ['sessions'], env)[0]!.agent).toBe('claude-code');
    expect(sddJson<{ agent: string }>(cwd, ['config', 'set', 'agent', 'claude']).agent).toBe('claude-code');
  }, 30_000);

  it('refuses an unknown agent, and --headless passes -p', async () => {
    const task = sddJson<Item>(cwd, ['create', 'Anything']);
    const unknown = sdd(cwd, ['run', task.id, '--agent', 'nope'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('claude-code or claude');
    const log = join(home.path, 'argv.json');
    expect(
      sdd(cwd, ['run', task.id, '--agent', 'claude-code', '--headless'], { ...env, FAKE_AGENT_LOG: log })
        .code,
    ).toBe(0);
    expect(JSON.parse(await readFile(log, 'utf8')).argv).toContain('-p');
  }, 30_000);

  it('sdd config set agent makes it the default of sdd run, and sdd config show says so', async () => {
    expect(sddJson<{ agent: string | null }>(cwd, ['config', 'show']).agent).toBeNull();
    expect(sdd(cwd, ['config', 'set', 'agent', 'claude-code']).code).toBe(0);
    expect(sddJson<{ agent: string | null }>(cwd, ['config', 'show']).agent).toBe('claude-code');
    expect(sdd(cwd, ['config', 'show']).stdout).toContain('agent: claude-code');
    const task = sddJson<Item>(cwd, ['create', 'Default agent']);
    expect(sdd(cwd, ['run', task.id], env).code).toBe(0);
    expect(sddJson<SessionRecord[]>(cwd, ['sessions'], env)[0]!.agent).toBe('claude-code');
    expect(sdd(cwd, ['config', 'set', 'agent', 'nope']).code).toBe(2);
  }, 30_000);
});

describe('sdd fork', () => {
  let dir: { path: string; remove(): Promise<void> };
  let home: { path: string; remove(): Promise<void> };
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = await makeTempDir();
    home = await makeTempDir('sdd-agent-home-');
    git(dir.path, ['init', '-q']);
    git(dir.path, ['config', 'user.name', 'T']);
    git(dir.path, ['config', 'user.email', 't@example.com']);
    await writeFile(join(dir.path, 'README.md'), '# x\n');
    sddJson(dir.path, ['init']);
    git(dir.path, ['add', '.']);
    git(dir.path, ['commit', '-qm', 'start']);
    env = {
      PATH: `${FAKE_AGENTS}:${process.env.PATH}`,
      CLAUDE_CONFIG_DIR: join(home.path, 'claude'),
      HOME: home.path,
    };
  });
  afterEach(async () => {
    await dir.remove();
    await home.remove();
  });

  it("forks from a session's second checkpoint: its files, a new branch, Claude resumed from the parent, both linked", async () => {
    const task = sddJson<Item>(dir.path, ['create', 'Try it two ways']);
    expect(
      sdd(dir.path, ['run', task.id, '--agent', 'claude-code'], { ...env, FAKE_CLAUDE_EDITS: '1' }).code,
    ).toBe(0);
    const parent = sddJson<SessionRecord[]>(dir.path, ['sessions'], env)[0]!;
    const parentShow = sddJson<{ events: { type: string; commit?: string; trigger?: string }[] }>(
      dir.path,
      ['session', 'show', parent.id],
      env,
    );
    const checkpoints = parentShow.events.filter((e) => e.type === 'checkpoint');
    // the Stop hook's checkpoint holds the last edit, so the end of the session adds none
    expect(checkpoints.map((c) => c.trigger)).toEqual(['start', 'manual', 'turn']);

    const log = join(home.path, 'fork-argv.json');
    const forked = sdd(dir.path, ['fork', `${parent.id}@1`, '--worktree'], { ...env, FAKE_AGENT_LOG: log });
    expect(forked.code).toBe(0);
    const argv = JSON.parse(await readFile(log, 'utf8')).argv as string[];
    expect(argv.slice(0, 3)).toEqual(['--resume', parent.conversationId, '--fork-session']);

    const child = sddJson<SessionRecord[]>(dir.path, ['sessions'], env)[0]!;
    expect(child.id).not.toBe(parent.id);
    // The fork's hook reports the parent's file (in a folder where it is not): the fork's own is copied.
    expect(argv[argv.indexOf('--session-id') + 1]).toBe(child.conversationId);
    expectOwnTranscript(child, parent);
    expect(child.forkedFrom).toMatchObject({
      sessionId: parent.id,
      commit: checkpoints[1]!.commit,
      checkpoint: 1,
    });
    const childShow = sddJson<{ events: { type: string; commit?: string }[] }>(
      dir.path,
      ['session', 'show', child.id],
      env,
    );
    const childStart = childShow.events.find((e) => e.type === 'checkpoint')!;
    const tree = (commit: string) => git(dir.path, ['rev-parse', `${commit}^{tree}`]).trim();
    expect(tree(childStart.commit!)).toBe(tree(checkpoints[1]!.commit!));
    expect(child.worktree).not.toBeNull();
    expect(git(child.worktree!, ['rev-parse', '--abbrev-ref', 'HEAD']).trim()).toMatch(/^sdd\//);

    const family = sddJson<{ forks: { id: string; checkpoint: number }[] }>(
      dir.path,
      ['session', 'show', parent.id],
      env,
    );
    expect(family.forks).toEqual([expect.objectContaining({ id: child.id, checkpoint: 1 })]);
    expect(sdd(dir.path, ['session', 'show', child.id], env).stdout).toContain(`forked from ${parent.id}@1`);
    expect(sdd(dir.path, ['session', 'show', parent.id], env).stdout).toContain(`fork: ${child.id}`);
  }, 60_000);

  /** The fork's transcript is its own conversation's, not a copy of the parent's. */
  function expectOwnTranscript(child: SessionRecord, parent: SessionRecord): void {
    const transcript = sddJson<Transcript>(dir.path, ['session', 'transcript', child.id], env);
    expect(transcript.conversationId).toBe(child.conversationId);
    expect(transcript.entries.map((e) => e.kind)).toEqual([
      'user',
      'assistant',
      'tool_call',
      'tool_result',
      'assistant',
    ]);
    // the fork's prompt tells of the parent session; the parent's own first message does not
    expect(transcript.entries[0]!.text).toContain(`Session ${parent.id}`);
  }

  it("a Claude fork in the same folder copies the fork's transcript, not the parent's the hook reports", async () => {
    const task = sddJson<Item>(dir.path, ['create', 'Same folder']);
    expect(sdd(dir.path, ['run', task.id, '--agent', 'claude-code'], env).code).toBe(0);
    const parent = sddJson<SessionRecord[]>(dir.path, ['sessions'], env)[0]!;
    expect(sdd(dir.path, ['fork', `${parent.id}@0`], env).code).toBe(0);
    const child = sddJson<SessionRecord[]>(dir.path, ['sessions'], env)[0]!;
    expect(child.conversationId).not.toBe(parent.conversationId);
    expectOwnTranscript(child, parent);
  }, 60_000);

  it('a Codex fork branches the conversation id Codex wrote in its rollout: codex fork, or codex resume before it', async () => {
    const task = sddJson<Item>(dir.path, ['create', 'Codex twice']);
    const codexEnv = { ...env, CODEX_HOME: join(home.path, 'codex') };
    expect(sdd(dir.path, ['run', task.id, '--agent', 'codex'], codexEnv).code).toBe(0);
    const parent = sddJson<SessionRecord[]>(dir.path, ['sessions'], codexEnv)[0]!;
    expect(parent.conversationId).toMatch(/^[0-9a-f-]{36}$/);
    const log = join(home.path, 'codex-fork.json');
    expect(
      sdd(dir.path, ['fork', `${parent.id}@0`, '--worktree'], { ...codexEnv, FAKE_AGENT_LOG: log }).code,
    ).toBe(0);
    const argv = () => withoutMcpArgs(JSON.parse(readFileSync(log, 'utf8')).argv as string[]);
    expect(argv().slice(0, 2)).toEqual(['fork', parent.conversationId]);
    const headless = sdd(dir.path, ['fork', `${parent.id}@0`, '--worktree', '--headless'], {
      ...codexEnv,
      FAKE_AGENT_LOG: log,
    });
    expect(headless.code, headless.stderr).toBe(0);
    expect(argv().slice(0, 4)).toEqual(['exec', 'fork', '--skip-git-repo-check', parent.conversationId]);
    const older = { ...codexEnv, FAKE_AGENT_LOG: log, FAKE_CODEX_NO_FORK: '1' };
    expect(sdd(dir.path, ['fork', `${parent.id}@0`, '--worktree'], older).code).toBe(0);
    expect(argv().slice(0, 2)).toEqual(['resume', parent.conversationId]);
    expect(sdd(dir.path, ['fork', `${parent.id}@0`, '--worktree', '--headless'], older).code).toBe(0);
    expect(argv().slice(0, 4)).toEqual(['exec', 'resume', '--skip-git-repo-check', parent.conversationId]);
  }, 90_000);

  it('without a conversation to resume, the fork starts with a summary of the parent session', async () => {
    const task = sddJson<Item>(dir.path, ['create', 'Plain command']);
    const script = join(home.path, 'agent.sh');
    await writeFile(script, '#!/bin/sh\necho one > a.txt\nsleep 2\necho two > b.txt\n');
    expect(sdd(dir.path, ['run', task.id, '--', 'sh', script]).code).toBe(0);
    const parent = sddJson<SessionRecord[]>(dir.path, ['sessions'])[0]!;
    expect(sdd(dir.path, ['fork', `${parent.id}@1`, '--worktree']).code).toBe(0);
    const child = sddJson<{ session: SessionRecord; promptPath: string }>(dir.path, [
      'session',
      'show',
      sddJson<SessionRecord[]>(dir.path, ['sessions'])[0]!.id,
    ]);
    const prompt = await readFile(child.promptPath, 'utf8');
    expect(prompt).toContain(`Session ${parent.id}`);
    expect(prompt).toContain('checkpoint 1');
    expect(prompt).toContain('A a.txt');
    expect(child.session.command).toEqual(['sh', script]);
    expect(sdd(dir.path, ['fork', 'deadbeef']).code).not.toBe(0);
  }, 60_000);
});
