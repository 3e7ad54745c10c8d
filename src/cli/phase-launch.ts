// Launching a phase of the spec workflow: which program (an agent with --agent, a command after --,
// or the person's own shell with --shell), recorded like `sdd run` (PTY, checkpoints, transcript,
// upload to the team server), on the epic, with the phase's prompt and nothing claimed.

import type { Command } from 'commander';
import { genericAdapter } from '../../adapters/generic.js';
import { InvalidInputError } from '../core/errors.js';
import type { PhaseName } from '../core/phases.js';
import { DEFAULT_CLAIM_TTL_SECONDS } from '../core/service.js';
import type { RunSessionResult } from '../sessions/session-runner.js';
import { adapterNamed, checkRunnable, type Launch, size, uploadAtEnd, userShell } from './commands/run.js';
import type { CommandContext } from './context.js';

export interface PhaseOptions {
  agent?: string;
  cmd?: string;
  shell?: boolean;
  headless?: boolean;
  recordInput?: boolean;
  cols: string;
  rows: string;
  here?: boolean;
  done?: boolean;
}

/** The options every phase command shares with `sdd run`, and --here / --done for an agent already running. */
export function phaseOptions(command: Command): Command {
  return command
    .option(
      '-a, --agent <name>',
      'the agent CLI to launch with the phase prompt (see `sdd agents`); words after -- go to it',
    )
    .option('--cmd <command>', 'a shell command line to run instead of an agent')
    .option('--shell', 'record your own $SHELL instead: write the documents by hand, sdd links what appears')
    .option('--headless', 'run the agent in its print/exec mode instead of a conversation')
    .option('--record-input', 'record what is typed too (off by default: it may hold secrets)')
    .option('--cols <n>', 'terminal width when sdd runs without a terminal (CI, a pipe)', '120')
    .option('--rows <n>', 'terminal height without a terminal', '40')
    .option(
      '--here',
      'from inside an agent that is already running: register the phase (for the session around it, if any), print its instructions and paths, record nothing new',
    )
    .option('--done', 'with --here: the phase is over; link what appeared (artifacts, decisions, tasks)');
}

/** The program a phase runs, from the options and the words after --. */
export async function phaseLaunch(
  ctx: CommandContext,
  options: PhaseOptions,
  words: string[],
): Promise<Launch> {
  const chosen = [options.agent, options.cmd, options.shell].filter(Boolean).length;
  if (chosen > 1) throw new InvalidInputError('Give one of --agent, --cmd and --shell.');
  if (options.cmd && words.length > 0)
    throw new InvalidInputError('Give the command either with --cmd "..." or after --, not both.');
  if (options.shell) return { adapter: genericAdapter, extraArgs: userShell(), label: 'shell' };
  if (options.cmd)
    return { adapter: genericAdapter, extraArgs: ['/bin/sh', '-c', options.cmd], label: 'generic' };
  const configured = (await ctx.project()).config.agent;
  const agentName = options.agent ?? (words.length === 0 ? configured : null);
  if (agentName) {
    const adapter = adapterNamed(agentName);
    return { adapter, extraArgs: words, label: adapter.name };
  }
  if (words.length > 0) return { adapter: genericAdapter, extraArgs: words, label: 'generic' };
  return { adapter: genericAdapter, extraArgs: userShell(), label: 'shell' };
}

/** Records one phase session on the epic; with a team server, it goes there while it records and at its end. */
export async function runPhaseSession(
  ctx: CommandContext,
  input: { phase: PhaseName; epicId: string; prompt: string; launch: Launch; options: PhaseOptions },
): Promise<RunSessionResult> {
  const { launch, options } = input;
  checkRunnable(launch);
  const project = await ctx.project();
  const service = await ctx.service();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const { runSession } = await import('../sessions/session-runner.js');
  const uploads = project.config.server ? await import('./session-sync.js') : null;
  const target = uploads ? await uploads.serverSessions(project) : null;
  const uploader = uploads && target ? uploads.uploadWhileRecording(project, target, process.pid) : null;
  const result = await runSession({
    projectRoot: project.root,
    worktree: false,
    service,
    actor: ctx.actor(),
    ref: input.epicId,
    adapter: launch.adapter,
    extraArgs: launch.extraArgs,
    agentLabel: launch.adapter.binary ? launch.adapter.name : launch.label,
    headless: options.headless ?? false,
    force: false,
    recordInput: options.recordInput ?? false,
    cols: size(options.cols, 'cols'),
    rows: size(options.rows, 'rows'),
    claimTtlSeconds: DEFAULT_CLAIM_TTL_SECONDS,
    burstQuietMs: 1500,
    sddBin: process.argv[1]!,
    log,
    phase: { name: input.phase, prompt: input.prompt },
  }).finally(() => uploader?.stop());
  if (uploads && target) await uploadAtEnd(uploads, project, target, result.session.id, log);
  return result;
}

/**
 * The epic and the command of `sdd <phase> [epic] [command...]`: commander gives the first word
 * after -- to the optional [epic]; a word typed after -- is always the command's.
 */
export function epicAndCommand(
  ref: string | undefined,
  words: string[],
): { ref: string | undefined; words: string[] } {
  const dashes = process.argv.indexOf('--');
  if (dashes === -1 || ref === undefined) return { ref, words };
  const after = process.argv.slice(dashes + 1);
  const given = [ref, ...words];
  const same = after.length === given.length && after.every((word, i) => word === given[i]);
  return same ? { ref: undefined, words: after } : { ref, words };
}
