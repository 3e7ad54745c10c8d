// sdd run and sdd shell: claim a task and work it in a recorded terminal session.

import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { AgentAdapter } from '../../../adapters/agent-adapter.js';
import { genericAdapter } from '../../../adapters/generic.js';
import { ADAPTERS, agentNames, findAdapter } from '../../../adapters/index.js';
import { InvalidInputError, NotRunnableError } from '../../core/errors.js';
import { DEFAULT_CLAIM_TTL_SECONDS, type Service } from '../../core/service.js';
import type { RecordingWorker } from '../../sessions/recording-worker-start.js';
import type { RunSessionOptions } from '../../sessions/session-runner.js';
import { parseDuration } from '../arguments.js';
import { action, type CommandContext } from '../context.js';
import { liveNote, liveTargetOf } from '../live-target.js';
import type { Project } from '../project.js';
import type { ServerSessions } from '../session-sync.js';
import { syncTaskBoxes } from '../task-box-sync.js';

export interface RunOptions {
  cmd?: string;
  agent?: string;
  headless?: boolean;
  force?: boolean;
  doneOnSuccess?: boolean;
  recordInput?: boolean;
  cols: string;
  rows: string;
  ttl?: number;
  worktree?: boolean;
  /** false with --no-mcp. */
  mcp?: boolean;
}

export function registerRun(program: Command): void {
  const run = program
    .command('run')
    .description(
      'claim a task and run a command (an agent CLI) on it in a recorded terminal: screen, checkpoints of the files, timeline',
    )
    .argument('<task>', 'the task to work on (it must be ready, or use --force)')
    .argument(
      '[command...]',
      'the program and its arguments, after --   (e.g. sdd run T012 -- claude); with none (and no --cmd): the agent named by "agent" in .sdd/config.json, else your $SHELL',
    );
  runOptions(run).action(
    action(async (ctx, ref: string, words: string[], options: RunOptions) => {
      if (options.cmd && words.length > 0) {
        throw new InvalidInputError('Give the command either with --cmd "..." or after --, not both.');
      }
      const configured = (await ctx.project()).config.agent;
      const agentName = options.agent ?? (words.length === 0 && !options.cmd ? configured : null);
      let launch: Launch;
      if (agentName) {
        const adapter = adapterNamed(agentName);
        launch = { adapter, extraArgs: words, label: adapter.name };
      } else if (options.cmd)
        launch = { adapter: genericAdapter, extraArgs: ['/bin/sh', '-c', options.cmd], label: 'generic' };
      else if (words.length > 0) launch = { adapter: genericAdapter, extraArgs: words, label: 'generic' };
      else launch = { adapter: genericAdapter, extraArgs: userShell(), label: 'shell' };
      process.exitCode = await runAndClose(ctx, ref, launch, options);
    }),
  );

  const shell = program
    .command('shell')
    .description('claim a task and record your own $SHELL working on it (exit the shell to end the session)')
    .argument('<task>', 'the task to work on');
  runOptions(shell).action(
    action(async (ctx, ref: string, options: RunOptions) => {
      if (options.cmd || options.agent) {
        throw new InvalidInputError(
          'sdd shell records your own $SHELL; for a command or an agent use `sdd run`.',
        );
      }
      const launch = { adapter: genericAdapter, extraArgs: userShell(), label: 'shell' };
      process.exitCode = await runAndClose(ctx, ref, launch, options);
    }),
  );
}

export function runOptions(command: Command): Command {
  return command
    .option('--cmd <command>', 'a shell command line to run instead of the words after --')
    .option(
      '-a, --agent <name>',
      'the agent CLI to launch with the task prompt (see `sdd agents`); words after -- go to it',
    )
    .option('--headless', 'run the agent in its print/exec mode instead of a conversation')
    .option('-f, --force', 'run even if the task is not ready or someone else holds it')
    .option('--done-on-success', 'mark the task done when the program exits with 0')
    .option('--record-input', 'record what is typed too (off by default: it may hold secrets)')
    .option('--cols <n>', 'terminal width when sdd runs without a terminal (CI, a pipe)', '120')
    .option('--rows <n>', 'terminal height without a terminal', '40')
    .option('--ttl <duration>', 'claim lease, renewed while the program runs', parseDuration)
    .option('--worktree', 'work in a new git worktree on a new branch (sdd/<task>-<n>), beside other agents')
    .option('--no-mcp', "don't give the agent sdd's MCP server (given by default to agents that take one)");
}

export function userShell(): string[] {
  return [process.env.SHELL || '/bin/sh'];
}

export function size(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 2 || n > 1000)
    throw new InvalidInputError(`--${what} must be a whole number from 2 to 1000; got "${value}".`);
  return n;
}

export interface Launch {
  adapter: AgentAdapter;
  extraArgs: string[];
  label: string;
}

/** The adapter --agent names, by its own name or its command's; an unknown name lists the known ones. */
export function adapterNamed(name: string): AgentAdapter {
  const adapter = findAdapter(name);
  if (!adapter) {
    const known = ADAPTERS.map((a) => agentNames(a).join(' or ')).join(', ');
    throw new InvalidInputError(`Unknown agent "${name}"; sdd knows ${known} (\`sdd agents\`).`);
  }
  return adapter;
}

export async function runAndClose(
  ctx: CommandContext,
  ref: string,
  launch: Launch,
  options: RunOptions,
  fork?: RunSessionOptions['fork'],
): Promise<number> {
  checkRunnable(launch);
  // First: the recording's worker boots while the project opens, the task is claimed and so on.
  const { RecordingWorker } = await import('../../sessions/recording-worker-start.js');
  const recordingWorker = RecordingWorker.start();
  return runWith(ctx, ref, launch, options, recordingWorker, fork).finally(() => recordingWorker?.discard());
}

async function runWith(
  ctx: CommandContext,
  ref: string,
  launch: Launch,
  options: RunOptions,
  recordingWorker: RecordingWorker | null,
  fork?: RunSessionOptions['fork'],
): Promise<number> {
  const project = await ctx.project();
  const service = await ctx.service();
  const actor = ctx.actor();
  const cols = size(options.cols, 'cols');
  const rows = size(options.rows, 'rows');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  // Read before the session starts: sdd run inside another session's terminal (an agent started it).
  const outerSession = process.env.SDD_SESSION_ID;
  // the recorders load only for a run: every other command starts faster without them
  const { runSession } = await import('../../sessions/session-runner.js');
  // With a team server, the session goes there while it records (the spool stays the source of truth).
  const uploads = project.config.server ? await import('../session-sync.js') : null;
  const target = uploads ? await uploads.serverSessions(project) : null;
  const uploader = uploads && target ? uploads.uploadWhileRecording(project, target, process.pid) : null;
  // With a server, its current versions: a teammate's edit is in this session's prompt.
  const { loadTeamContext } = await import('../team-context.js');
  const context = await loadTeamContext(project, { actor, warn: log });
  const liveTarget = target ? await liveTargetOf(project) : undefined;
  const result = await runSession({
    projectRoot: project.root,
    worktree: options.worktree ?? false,
    service,
    actor,
    ref,
    adapter: launch.adapter,
    extraArgs: launch.extraArgs,
    // An agent is recorded by its own name, whichever was typed, so a fork finds it again.
    agentLabel: launch.adapter.binary ? launch.adapter.name : launch.label,
    headless: options.headless ?? false,
    ...(fork && { fork }),
    force: options.force ?? false,
    recordInput: options.recordInput ?? false,
    cols,
    rows,
    claimTtlSeconds: options.ttl ?? DEFAULT_CLAIM_TTL_SECONDS,
    burstQuietMs: 1500,
    mcp: options.mcp ?? true,
    sddBin: process.argv[1]!,
    log,
    context,
    ...(liveTarget && { live: liveTarget }),
    recordingWorker,
  }).finally(() => uploader?.stop());
  const { session } = result;
  const insideSession = outerSession !== undefined;
  const task = session.itemRef ?? session.itemId;
  let closing: 'done' | 'released' | 'unknown';
  try {
    closing = await closeTask({
      service,
      actor,
      task,
      insideSession,
      doneOnSuccess: options.doneOnSuccess ?? false,
      exitCode: result.exitCode,
      itemId: session.itemId,
      root: project.root,
      log,
    });
  } catch (error) {
    // The session is recorded whatever happens here (a team server gone away, say): say what was not done.
    closing = 'unknown';
    log(
      `sdd: could not close or release ${task} (${(error as Error).message}); its claim lapses by itself, or run \`sdd done ${task}\` / \`sdd release ${task}\`.`,
    );
  }
  if (uploads && target) await uploadAtEnd(uploads, project, target, session.id, log);
  const live = target && liveNote(result.live, target.server);
  if (live) log(live);
  const summary = {
    session,
    exitCode: result.exitCode,
    checkpoints: result.checkpoints,
    task: closing,
  };
  if (ctx.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    log(
      `\nsdd: session ${session.id} ended (exit ${result.exitCode}, ${result.checkpoints} checkpoint(s)); ${task} is ${closing === 'done' ? 'done' : closing === 'released' ? 'released' : 'as it was'}.` +
        `\n     see it: sdd session show ${session.id}   play it: sdd replay ${session.id}`,
    );
  }
  return result.exitCode;
}

interface CloseInput {
  service: Service;
  actor: string;
  task: string;
  itemId: string;
  root: string;
  insideSession: boolean;
  doneOnSuccess: boolean;
  exitCode: number;
  log: (line: string) => void;
}

/** Done or released, as the person says (or --done-on-success, or the agent's own `sdd done`). */
async function closeTask(input: CloseInput): Promise<'done' | 'released'> {
  const { service, actor, task, itemId, log } = input;
  let closing: 'done' | 'released';
  const already = (await service.getItem(itemId)).item.status === 'done'; // the agent ran sdd done itself
  if (already) closing = 'done';
  else if (input.doneOnSuccess && input.exitCode === 0) closing = 'done';
  // Inside another session the terminal belongs to its agent: no question is put to it (nobody may answer).
  else if (!input.doneOnSuccess && process.stdin.isTTY && process.stdout.isTTY && !input.insideSession) {
    closing = (await askYesNo(`Is ${task} done? [y/N] `)) ? 'done' : 'released';
  } else closing = 'released';
  if (closing === 'done' && !already) {
    const closed = await service.done(itemId, actor);
    await syncTaskBoxes(input.root, [closed.item]);
  } else if (closing === 'released') {
    await service
      .release(itemId, actor)
      .catch((error: Error) => log(`sdd: could not release ${task}: ${error.message}`));
  }
  return closing;
}

/**
 * The rest of the session, and any session an earlier run could not send (the server was down):
 * a failure leaves them in the spool, for `sdd sync`.
 */
export async function uploadAtEnd(
  uploads: typeof import('../session-sync.js'),
  project: Project,
  target: ServerSessions,
  id: string,
  log: (line: string) => void,
): Promise<void> {
  try {
    await uploads.uploadOne(project, target, id);
    for (const pending of await uploads.pendingSessions(project, target.server)) {
      if (pending.status !== 'running') await uploads.uploadOne(project, target, pending.id);
    }
  } catch (error) {
    log(
      `sdd: session ${id} is kept here but not yet on ${target.server} (${(error as Error).message}); \`sdd sync\` uploads it.`,
    );
  }
}

/** Refuses, before anything is claimed or recorded, a program that is not there to run. */
export function checkRunnable(launch: Launch): void {
  const program = launch.adapter.binary || launch.extraArgs[0];
  if (!program) return;
  const found = program.includes('/') ? program : findOnPath(program);
  if (!found) {
    throw new NotRunnableError(
      launch.adapter.binary
        ? `${launch.adapter.title} is not installed (no "${program}" on PATH); \`sdd agents\` shows what is.`
        : `${program}: command not found.`,
      127,
    );
  }
  try {
    accessSync(found, constants.X_OK);
  } catch {
    throw new NotRunnableError(`${found} cannot be run (not executable or not there).`, 126);
  }
}

export function findOnPath(program: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir || '.', program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return null;
}

async function askYesNo(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(question);
    return /^y(es)?$/i.test(answer.trim());
  } catch {
    return false; // Ctrl-C or a closed terminal: not done, and the claim is still released
  } finally {
    rl.close();
  }
}
