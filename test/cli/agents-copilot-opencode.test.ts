// The Copilot CLI and opencode adapters through `sdd run --agent`: fake CLIs on PATH take the real flags and keep
// their logs where and as the real ones do; sdd launches them right and keeps this session's conversation only.

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/session.js';
import type { Transcript } from '../../src/core/transcript.js';
import type { Item } from '../../src/core/types.js';
import { git, REPO_ROOT, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FAKE_AGENTS = join(REPO_ROOT, 'test', 'fixtures', 'agents');

describe('copilot and opencode adapters', () => {
  let dir: { path: string; remove(): Promise<void> };
  let home: { path: string; remove(): Promise<void> };
  let cwd: string;
  let env: Record<string, string>;
  let log: string;

  beforeEach(async () => {
    dir = await makeTempDir();
    home = await makeTempDir('sdd-agent-home-');
    cwd = dir.path;
    git(cwd, ['init', '-q']);
    await writeFile(join(cwd, 'README.md'), '# x\n');
    sddJson(cwd, ['init']);
    log = join(home.path, 'argv.json');
    env = {
      PATH: `${FAKE_AGENTS}:${process.env.PATH}`,
      HOME: home.path,
      COPILOT_HOME: join(home.path, 'copilot'),
      XDG_DATA_HOME: join(home.path, 'data'),
      FAKE_AGENT_LOG: log,
    };
  });
  afterEach(async () => {
    await dir.remove();
    await home.remove();
  });

  const runTask = async (agent: string, extra: string[] = []) => {
    const task = sddJson<Item>(cwd, ['create', 'List the files']);
    const run = sdd(cwd, ['run', task.id, '--agent', agent, ...extra], env);
    expect(run.code, run.stderr).toBe(0);
    const argv: string[] = JSON.parse(await readFile(log, 'utf8')).argv;
    const session = sddJson<SessionRecord[]>(cwd, ['sessions'], env)[0]!;
    return { argv, session };
  };

  const expectTheConversation = (transcript: Transcript, model: string, callName: string) => {
    expect(transcript.entries.map((e) => e.kind)).toEqual([
      'user',
      'assistant',
      'tool_call',
      'tool_result',
      'assistant',
    ]);
    expect(transcript.entries[0]!.text).toContain('List the files');
    expect(transcript.entries[1]).toMatchObject({ text: 'I will look at the files first.', model });
    expect(transcript.entries[2]!.tool).toMatchObject({
      name: callName,
      input: { command: 'ls', description: 'List files' },
    });
    expect(transcript.entries[3]).toMatchObject({ text: 'README.md\nsrc', result: { isError: false } });
    expect(transcript.entries[3]!.result!.callId).toBe(transcript.entries[2]!.tool!.callId);
    expect(transcript.entries[4]!.text).toBe('The task is done.');
    expect(JSON.stringify(transcript)).not.toContain('DECOY');
  };

  it('copilot: launched with a session id chosen up front and -i; its own event log, not a neighbour', async () => {
    const { argv, session } = await runTask('copilot');
    expect(session.agent).toBe('copilot');
    expect(argv[0]).toBe(`--session-id=${session.conversationId}`);
    expect(argv.at(-2)).toBe('-i');
    expect(argv.at(-1)).toContain('List the files');
    const transcript = sddJson<Transcript>(cwd, ['session', 'transcript', session.id], env);
    expect(transcript.conversationId).toBe(session.conversationId);
    expectTheConversation(transcript, 'claude-sonnet-4.5', 'bash');
  }, 30_000);

  it('copilot --headless: -p with the tools allowed', async () => {
    const { argv } = await runTask('copilot', ['--headless']);
    expect(argv[argv.indexOf('-p') + 1]).toContain('List the files');
    expect(argv).toContain('--allow-all-tools');
    expect(argv).not.toContain('-i');
  }, 30_000);

  it('opencode: launched with --prompt; this session of this folder, not an earlier one or another folder', async () => {
    const mirrors = async () =>
      (await readdir(tmpdir())).filter((name) => name.startsWith('sdd-opencode-')).length;
    const mirrorsBefore = await mirrors();
    const { argv, session } = await runTask('opencode');
    expect(await mirrors()).toBe(mirrorsBefore); // the mirror folder is gone once the session has its copy
    expect(session.agent).toBe('opencode');
    expect(argv[0]).toBe('--prompt');
    expect(argv[1]).toContain('List the files');
    const transcript = sddJson<Transcript>(cwd, ['session', 'transcript', session.id], env);
    expect(transcript.conversationId).toMatch(/^ses_/);
    expectTheConversation(transcript, 'claude-sonnet-4-5', 'bash');
    const text = sdd(cwd, ['session', 'transcript', session.id], env);
    expect(text.stdout).toContain('→ bash');
  }, 30_000);

  it('opencode 1.2+, sessions in its database: found with session list, read with export, the last reply included', async () => {
    env = { ...env, FAKE_OPENCODE_DB: '1' };
    const { session } = await runTask('opencode');
    const transcript = sddJson<Transcript>(cwd, ['session', 'transcript', session.id], env);
    expect(transcript.conversationId).toMatch(/^ses_/);
    expectTheConversation(transcript, 'claude-sonnet-4-5', 'bash');
    expect(JSON.stringify(transcript)).not.toMatch(/earlier session|Another folder/i);
  }, 30_000);

  it('opencode --headless: opencode run -- <prompt>, which receives the prompt exactly, not wrapped in quotes', async () => {
    const { argv, session } = await runTask('opencode', ['--headless']);
    expect(argv[0]).toBe('run');
    expect(argv[1]).toBe('--');
    const transcript = sddJson<Transcript>(cwd, ['session', 'transcript', session.id], env);
    const prompt = await readFile(
      sddJson<{ promptPath: string }>(cwd, ['session', 'show', session.id]).promptPath,
      'utf8',
    );
    expect(transcript.entries[0]!.text).toBe(prompt.trim());
    expect(transcript.entries.at(-1)!.text).toBe('The task is done.');
  }, 30_000);

  it('opencode 1.2+ with a slow export: never two at once, one last after the exit, and sdd ends soon after', async () => {
    const exports = join(home.path, 'exports.log');
    env = {
      ...env,
      FAKE_OPENCODE_DB: '1',
      FAKE_OPENCODE_EXPORT_MS: '2500',
      FAKE_OPENCODE_RUN_MS: '9000',
      FAKE_OPENCODE_EXPORT_LOG: exports,
    };
    const { session } = await runTask('opencode');
    const ended = Date.now();
    const events = (await readFile(exports, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => line.split(' '))
      .map(([what, at]) => ({ what, at: Number(at) }));
    let running = 0;
    for (const event of events) {
      running += event.what === 'start' ? 1 : event.what === 'end' ? -1 : 0;
      expect(running).toBeLessThanOrEqual(1);
    }
    const exit = events.find((e) => e.what === 'exit')!.at;
    // the one in progress at the exit may end, then one last: at most two exports after the agent is gone
    expect(events.filter((e) => e.what === 'end' && e.at > exit).length).toBeLessThanOrEqual(2);
    expect(ended - exit).toBeLessThan(9000);
    const transcript = sddJson<Transcript>(cwd, ['session', 'transcript', session.id], env);
    expect(transcript.entries.at(-1)!.text).toBe('The task is done.');
  }, 60_000);
});
