// The Codex, Gemini CLI and Aider adapters through `sdd run --agent`: fake agent CLIs on PATH that take the
// real flags and write their logs where the real ones do, beside other sessions' logs; sdd launches each
// right and keeps this session's transcript, never a neighbour's.

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

describe('codex, gemini and aider adapters', () => {
  let dir: { path: string; remove(): Promise<void> };
  let home: { path: string; remove(): Promise<void> };
  let cwd: string;
  let env: Record<string, string | undefined>;
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
      CODEX_HOME: join(home.path, 'codex'),
      // the machine's own settings must not point the agents elsewhere
      GEMINI_CLI_HOME: undefined,
      AIDER_CHAT_HISTORY_FILE: undefined,
      FAKE_AGENT_LOG: log,
    };
  });
  afterEach(async () => {
    await dir.remove();
    await home.remove();
  });

  /** Runs a new task with the agent; the session, what the fake was given, and the transcript sdd kept. */
  async function runAgent(title: string, args: string[], extraEnv: Record<string, string> = {}) {
    const task = sddJson<Item>(cwd, ['create', title]);
    const run = sdd(cwd, ['run', task.id, ...args], { ...env, ...extraEnv });
    expect(run.code, run.stderr).toBe(0);
    const seen = JSON.parse(await readFile(log, 'utf8')) as { argv: string[] };
    const session = sddJson<SessionRecord[]>(cwd, ['sessions'], env)[0]!;
    const transcript = sddJson<Transcript>(cwd, ['session', 'transcript', session.id], env);
    return {
      session,
      argv: withoutMcpArgs(seen.argv),
      transcript,
      kinds: transcript.entries.map((e) => e.kind),
    };
  }

  it('lists codex, gemini and aider, installed, with their versions', () => {
    const agents = sddJson<{ name: string; installed: boolean; version: string | null }[]>(
      cwd,
      ['agents'],
      env,
    );
    expect(agents.find((a) => a.name === 'codex')).toMatchObject({
      installed: true,
      version: 'codex-cli 0.46.0',
    });
    expect(agents.find((a) => a.name === 'gemini')).toMatchObject({ installed: true, version: '0.42.0' });
    expect(agents.find((a) => a.name === 'aider')).toMatchObject({
      installed: true,
      version: 'aider 0.86.1',
    });
    const without = sddJson<{ name: string; installed: boolean }[]>(cwd, ['agents'], {
      PATH: '/usr/bin:/bin',
    });
    for (const name of ['codex', 'gemini', 'aider'])
      expect(without.find((a) => a.name === name)?.installed).toBe(false);
  });

  it('codex: the prompt as the TUI first message; the rollout of this folder started with the session', async () => {
    const { session, argv, transcript, kinds } = await runAgent('List the files', ['--agent', 'codex']);
    expect(session.agent).toBe('codex');
    expect(argv[0]).not.toBe('exec');
    expect(argv.at(-1)).toContain('List the files');
    expect(kinds).toEqual(['meta', 'user', 'assistant', 'tool_call', 'tool_result', 'assistant']);
    expect(transcript.entries[1]!.text).toContain('List the files');
    expect(transcript.entries[2]).toMatchObject({
      text: 'I will look at the files first.',
      model: 'gpt-5-codex',
    });
    expect(transcript.entries[3]!.tool).toMatchObject({ name: 'shell', callId: 'call_Fake1' });
    expect(transcript.entries[4]).toMatchObject({ result: { callId: 'call_Fake1', isError: false } });
    expect(transcript.entries[4]!.text).toContain('README.md');
    expect(transcript.entries[5]!.text).toBe('The task is done.');
    expect(transcript.conversationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(transcript)).not.toContain('DECOY');
  }, 30_000);

  it('codex --headless: codex exec with the extra arguments, then the prompt', async () => {
    const { argv, transcript } = await runAgent('Count the files', [
      '--agent',
      'codex',
      '--headless',
      '--',
      '--model',
      'gpt-5-codex',
    ]);
    expect(argv.slice(0, 4)).toEqual(['exec', '--skip-git-repo-check', '--model', 'gpt-5-codex']);
    expect(argv.at(-1)).toContain('Count the files');
    expect(transcript.entries.find((e) => e.kind === 'user')!.text).toContain('Count the files');
    expect(JSON.stringify(transcript)).not.toContain('DECOY');
  }, 30_000);

  it('gemini: a session id chosen up front and -i with the prompt; the chat of that id', async () => {
    const { session, argv, transcript, kinds } = await runAgent('List the files', ['--agent', 'gemini']);
    expect(argv[0]).toBe('--session-id');
    expect(argv[1]).toBe(session.conversationId);
    expect(argv.at(-2)).toBe('-i');
    expect(argv.at(-1)).toContain('List the files');
    expect(transcript.conversationId).toBe(session.conversationId);
    expect(kinds).toEqual(['user', 'assistant', 'tool_call', 'tool_result', 'assistant']);
    expect(transcript.entries[0]!.text).toContain('List the files');
    expect(transcript.entries[1]).toMatchObject({
      text: 'I will look at the files first.',
      model: 'gemini-2.5-pro',
    });
    expect(transcript.entries[2]!.tool).toMatchObject({
      name: 'run_shell_command',
      input: { command: 'ls' },
    });
    expect(transcript.entries[3]).toMatchObject({ text: 'README.md', result: { isError: false } });
    expect(JSON.stringify(transcript)).not.toContain('DECOY');
  }, 30_000);

  it('codex --headless outside a git repository: not stopped by its repository check', async () => {
    const plain = await makeTempDir();
    try {
      sddJson(plain.path, ['init']);
      const task = sddJson<Item>(plain.path, ['create', 'No git here']);
      const run = sdd(plain.path, ['run', task.id, '--agent', 'codex', '--headless'], env);
      expect(run.code, run.stderr).toBe(0);
    } finally {
      await plain.remove();
    }
  }, 30_000);

  it('gemini --headless: -p with the prompt, the folder trusted for the session (or Gemini CLI exits 55)', async () => {
    const { argv, transcript } = await runAgent('Count the files', ['--agent', 'gemini', '--headless']);
    expect(argv).toContain('--skip-trust');
    expect(argv.at(-2)).toBe('-p');
    expect(transcript.entries[0]!.text).toContain('Count the files');
    expect(JSON.stringify(transcript)).not.toContain('DECOY');
  }, 30_000);

  it('gemini before v0.41: no --session-id; the first chat of this project since the start', async () => {
    const { session, argv, transcript, kinds } = await runAgent('List the files', ['--agent', 'gemini'], {
      FAKE_GEMINI_VERSION: '0.40.1',
    });
    expect(argv).not.toContain('--session-id');
    expect(argv).not.toContain('--skip-trust');
    // not chosen up front, so learnt from the chat this session wrote
    expect(session.conversationId).toBe(transcript.conversationId);
    expect(session.conversationId).not.toBeNull();
    expect(kinds).toEqual(['user', 'assistant', 'tool_call', 'tool_result', 'assistant']);
    expect(transcript.entries[0]!.text).toContain('List the files');
    expect(JSON.stringify(transcript)).not.toContain('DECOY');
  }, 30_000);

  it('gemini with the older single-JSON chats: the rewritten file is followed whole', async () => {
    const { session, transcript, kinds } = await runAgent('List the files', ['--agent', 'gemini'], {
      FAKE_GEMINI_VERSION: '0.30.0',
      FAKE_GEMINI_LEGACY: '1',
    });
    expect(kinds).toEqual(['user', 'assistant', 'tool_call', 'tool_result', 'assistant']);
    expect(transcript.entries[0]!.text).toContain('List the files');
    expect(transcript.entries.at(-1)!.text).toBe('The task is done.');
    expect(JSON.stringify(transcript)).not.toContain('DECOY');
    expect(session.conversationId).toBe(transcript.conversationId);
  }, 30_000);

  it('aider --headless: --message-file with the prompt file; only what this session appended', async () => {
    await writeFile(
      join(cwd, '.aider.chat.history.md'),
      '\n# aider chat started at 2024-05-01 10:00:00\n\n#### DECOY OLD CHAT  \n\nDECOY OLD REPLY\n',
    );
    const { session, argv, transcript, kinds } = await runAgent('List the files', [
      '--agent',
      'aider',
      '--headless',
    ]);
    expect(argv.slice(0, 2)).toEqual(['--yes-always', '--message-file']);
    expect(argv[2]).toBe(join(cwd, '.sdd', 'local', 'sessions', session.id, 'prompt.md'));
    expect(kinds).toEqual(['system', 'system', 'user', 'assistant', 'system', 'assistant', 'system']);
    expect(transcript.entries[2]!.text).toContain('List the files');
    expect(transcript.entries[3]!.text).toContain('I will look at the files first.');
    expect(transcript.entries[4]!.text).toContain('Running ls');
    expect(transcript.entries[4]!.text).toContain('README.md');
    expect(transcript.entries[5]!.text).toBe('The task is done.');
    expect(JSON.stringify(transcript)).not.toContain('DECOY');
  }, 30_000);

  it('aider: a conversation without a first message, and the history file given with --chat-history-file', async () => {
    await mkdir(join(cwd, 'notes'));
    await writeFile(
      join(cwd, 'notes', 'chat.md'),
      '# aider chat started at 2024-05-01 10:00:00\n\n#### DECOY OLD CHAT  \n',
    );
    const { argv, transcript, kinds } = await runAgent('List the files', [
      '--agent',
      'aider',
      '--',
      '--model',
      'gpt-4o',
      '--chat-history-file',
      'notes/chat.md',
    ]);
    expect(argv).toEqual(['--model', 'gpt-4o', '--chat-history-file', 'notes/chat.md']);
    expect(kinds).toContain('user');
    expect(transcript.entries.find((e) => e.kind === 'user')!.text).toContain('prompt.md');
    expect(transcript.entries.filter((e) => e.kind === 'assistant').map((e) => e.text)).toContain(
      'The task is done.',
    );
    expect(JSON.stringify(transcript)).not.toContain('DECOY');
  }, 30_000);

  it('aider: the history file named in .aider.conf.yml', async () => {
    await mkdir(join(cwd, 'logs'));
    await writeFile(join(cwd, '.aider.conf.yml'), 'model: gpt-4o\nchat-history-file: logs/aider.md\n');
    await writeFile(
      join(cwd, 'logs', 'aider.md'),
      '# aider chat started at 2024-05-01 10:00:00\n\n#### DECOY OLD CHAT  \n',
    );
    const { transcript } = await runAgent('List the files', ['--agent', 'aider', '--headless']);
    expect(transcript.entries.filter((e) => e.kind === 'assistant').map((e) => e.text)).toContain(
      'The task is done.',
    );
    expect(JSON.stringify(transcript)).not.toContain('DECOY');
  }, 30_000);
});
