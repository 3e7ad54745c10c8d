// The parts of starting and ending a session that are not the recording itself: where it works,
// what its program learns from the environment, and facts read from git and the agent's transcript.

import { readFile } from 'node:fs/promises';
import { basename, delimiter, dirname, join } from 'node:path';
import type { AgentAdapter } from '../../adapters/agent-adapter.js';
import { restoreCheckpoint } from '../../recorders/files/checkpoint-recorder.js';
import { runGit } from '../../recorders/files/git.js';
import { parseTranscript } from '../transcripts/parse-transcript.js';
import type { RunSessionOptions } from './session-runner.js';
import { reportedSize } from './terminal-size.js';
import { createWorktree, switchToNewBranch } from './worktrees.js';

/** Where the session works: the project's folder, a new worktree, or (for a fork) a new branch with the checkpoint's files. */
export async function prepareWorkTree(
  options: RunSessionOptions,
  taskName: string,
  id: string,
): Promise<string> {
  const { projectRoot } = options;
  let workTree = projectRoot;
  // A fork branches from the parent's base commit and then takes the checkpoint's files.
  const start = options.fork ? (options.fork.parent.baseCommit ?? 'HEAD') : 'HEAD';
  if (options.worktree) {
    const created = createWorktree(projectRoot, taskName, id, start);
    workTree = created.path;
    options.log(`sdd: working in ${created.path} on branch ${created.branch}`);
  } else if (options.fork) {
    const branch = switchToNewBranch(projectRoot, taskName, id, start);
    options.log(`sdd: switched to the new branch ${branch}`);
  }
  if (options.fork) await restoreCheckpoint(workTree, options.fork.commit, { force: true });
  return workTree;
}

/** The person's terminal size when there is one, else the size asked for. */
export function terminalSize(cols: number, rows: number): { cols: number; rows: number } {
  const tty = process.stdin.isTTY && process.stdout.isTTY;
  return tty ? reportedSize(process.stdout, { cols, rows }) : { cols, rows };
}

/** The agent's own conversation id as its transcript states it (Codex's session_meta id...). */
export async function conversationIdOf(adapter: AgentAdapter, copy: string | null): Promise<string | null> {
  if (!copy || !adapter.loadTranscriptParser) return null;
  try {
    const text = await readFile(copy, 'utf8');
    return (await parseTranscript(adapter, [{ name: basename(copy), text }])).conversationId;
  } catch {
    return null;
  }
}

/** What every program sdd runs learns of its session. */
export function sessionEnv(
  options: RunSessionOptions,
  session: { id: string; itemId: string; promptFile: string; specDir: string | null },
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SDD_SESSION_ID: session.id,
    SDD_ITEM_ID: session.itemId,
    SDD_PROMPT_FILE: session.promptFile,
    SDD_PROJECT_ROOT: options.projectRoot,
    SDD_BIN: options.sddBin,
    // `sdd done`, `sdd note`, `sdd prime` inside the session act as the session's actor, who holds the claim.
    SDD_ACTOR: options.actor,
    // `sdd` itself on the PATH, so the agent can run `sdd done`, `sdd mark` as its prompt says
    PATH: [dirname(options.sddBin), process.env.PATH].filter(Boolean).join(delimiter),
  };
  if (session.specDir) env.SDD_SPEC_DIR = join(options.projectRoot, session.specDir);
  else delete env.SDD_SPEC_DIR;
  return env;
}

export function pick(env: NodeJS.ProcessEnv, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) if (env[key]) out[key] = env[key]!;
  return out;
}

/**
 * The commit HEAD points at (null before the first commit, or outside git) and whether `cwd` is in git's
 * care (a work tree, or a repository's own folder), asked in one git call that leaves the thread free
 * while git runs: the session's start waits for it.
 */
export async function gitState(cwd: string): Promise<{ head: string | null; inGit: boolean }> {
  // Exit 1: no commit yet (the first line is still said); 128: not in a repository; no git, or no such
  // folder: neither.
  const result = await runGit(['rev-parse', '--is-inside-work-tree', '--verify', '-q', 'HEAD'], {
    cwd,
    okExitCodes: [1, 128],
  }).catch(() => null);
  const [inWorkTree, head] = (result?.stdout ?? '').split('\n');
  const commit = result?.exitCode === 0 && head ? head : null;
  return { head: commit, inGit: commit !== null || inWorkTree === 'true' };
}
