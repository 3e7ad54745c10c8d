// The adapters against the real agent CLIs, pinned in test/agents/package.json (`npm run test:agents`
// installs them): each CLI accepts every launch and fork command sdd gives it, and a Claude Code fork
// copies its own transcript. No network here: each stops at its login or its first API call, which is
// expected; an argument error (unknown option, usage text, the parser's exit 2) fails the test.

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentAdapter, LaunchPlan } from '../../adapters/agent-adapter.js';
import { ADAPTERS, findAdapter } from '../../adapters/index.js';
import type { SessionRecord } from '../../src/core/session.js';
import type { Item } from '../../src/core/types.js';
import { git, sdd, sddJson } from '../helpers/run-sdd.js';
import {
  AGENTS_BIN,
  agentEnv,
  agentInstalled,
  argumentError,
  launchRequest,
  runInPty,
  stopLeftovers,
} from './real-cli.js';

/** Long enough for the slowest to parse its arguments and reach its login or network on a busy machine. */
const WAIT_MS = 12_000;
/** An unknown flag makes the agent exit at once with its error: waiting longer costs nothing, and a
 * loaded machine (several of these start side by side) may take more than WAIT_MS to start it. */
const EXITS_ON_ITS_OWN_MS = 45_000;
const REAL = ADAPTERS.filter((adapter) => adapter.binary && adapter.name !== 'aider');
const installed = REAL.filter((adapter) => agentInstalled(adapter.binary));
if (installed.length === 0) {
  console.log(
    'test/agents: the real agent CLIs are not installed (`npm run test:agents` installs them); skipped.',
  );
}

let home: string;
let cwd: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'sdd-real-agent-home-'));
  cwd = await mkdtemp(join(tmpdir(), 'sdd-real-agent-'));
  git(cwd, ['init', '-q']);
  await writeFile(join(cwd, 'README.md'), '# x\n');
});
afterAll(async () => {
  stopLeftovers(home);
  await new Promise((resolve) => setTimeout(resolve, 200));
  await rm(home, { recursive: true, force: true });
  await rm(cwd, { recursive: true, force: true });
});

/** Every command sdd gives the agent: a launch and a fork, each as a conversation and headless. */
function plans(adapter: AgentAdapter): { label: string; plan: () => LaunchPlan }[] {
  const forms: { label: string; plan: () => LaunchPlan }[] = [];
  for (const headless of [false, true]) {
    const mode = headless ? 'headless' : 'conversation';
    const request = () => launchRequest(cwd, agentEnv(home), headless);
    forms.push({ label: `launch, ${mode}`, plan: () => adapter.launch(request()) });
    // A conversation id the agent has never seen: it may say so, but must take the arguments.
    const fork = adapter.fork?.bind(adapter);
    if (fork) forms.push({ label: `fork, ${mode}`, plan: () => fork(request(), crypto.randomUUID()) });
  }
  return forms;
}

describe.skipIf(installed.length === 0)('the real agent CLIs', () => {
  for (const adapter of installed) {
    describe(`${adapter.title} (${adapter.binary})`, () => {
      for (const { label, plan } of plans(adapter)) {
        it.concurrent(`accepts the ${label} arguments`, async () => {
          const command = plan().command;
          const run = await runInPty(command, cwd, agentEnv(home), WAIT_MS);
          expect(argumentError(run.output), `${command.join(' ')}\n${run.output}`).toBeNull();
          expect(run.exitCode, run.output).not.toBe(2);
        }, 60_000);
      }

      it.concurrent('and an unknown flag is told as an argument error (the check above can fail)', async () => {
        const request = { ...launchRequest(cwd, agentEnv(home), true), extraArgs: ['--sdd-no-such-flag'] };
        const run = await runInPty(adapter.launch(request).command, cwd, agentEnv(home), EXITS_ON_ITS_OWN_MS);
        expect(argumentError(run.output), run.output).not.toBeNull();
      }, 60_000);
    });
  }
});

describe.skipIf(!agentInstalled('claude'))('a real Claude Code fork', () => {
  it("copies the fork's own transcript, named by the id sdd chose for the fork", async () => {
    const project = await mkdtemp(join(tmpdir(), 'sdd-real-fork-'));
    try {
      git(project, ['init', '-q']);
      git(project, ['config', 'user.name', 'T']);
      git(project, ['config', 'user.email', 't@example.com']);
      await writeFile(join(project, 'README.md'), '# x\n');
      sddJson(project, ['init']);
      git(project, ['add', '.']);
      git(project, ['commit', '-qm', 'start']);
      const env = agentEnv(home);
      const task = sddJson<Item>(project, ['create', 'Fork me']);
      // Not logged in: Claude Code writes the conversation's first records, then stops (exit 1).
      sdd(project, ['run', task.id, '--agent', 'claude', '--headless'], env);
      const parent = sddJson<SessionRecord[]>(project, ['sessions'], env)[0]!;
      expect(parent.agent).toBe(findAdapter('claude')!.name);
      expect(copiedTranscripts(project, parent.id)).toEqual([`${parent.conversationId}.jsonl`]);
      sdd(project, ['fork', `${parent.id}@0`, '--headless'], env);
      const child = sddJson<SessionRecord[]>(project, ['sessions'], env)[0]!;
      expect(child.id).not.toBe(parent.id);
      expect(child.command).toContain('--fork-session');
      expect(copiedTranscripts(project, child.id)).toEqual([`${child.conversationId}.jsonl`]);
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  }, 120_000);
});

describe.skipIf(!agentInstalled('opencode'))('real opencode run', () => {
  it('stores the prompt exactly as given: not wrapped in quotes, spaces and newlines kept', async () => {
    const env = agentEnv(home);
    const request = launchRequest(cwd, env, true);
    const prompt = `${request.prompt}  Two spaces, "quotes" and -x.`;
    // It stores the user's message before its first API call, which fails here and is retried until killed.
    await runInPty(findAdapter('opencode')!.launch({ ...request, prompt }).command, cwd, env, WAIT_MS);
    const opencode = (args: string[]) =>
      spawnSync(join(AGENTS_BIN, 'opencode'), args, { cwd, env, encoding: 'utf8', timeout: 30_000 }).stdout;
    const sessions = JSON.parse(opencode(['session', 'list', '--format', 'json'])) as { id: string }[];
    const exported = JSON.parse(opencode(['export', sessions[0]!.id])) as {
      messages: { parts: { type: string; text?: string }[] }[];
    };
    expect(exported.messages[0]!.parts.find((part) => part.type === 'text')?.text).toBe(prompt);
  }, 60_000);
});

/** The files in a session's transcript folder. */
function copiedTranscripts(project: string, sessionId: string): string[] {
  const shown = sddJson<{ castPath: string }>(project, ['session', 'show', sessionId]);
  try {
    return readdirSync(join(dirname(shown.castPath), 'transcript')).sort();
  } catch {
    return [];
  }
}
