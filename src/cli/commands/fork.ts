// sdd fork: start a new session from a checkpoint of an earlier one, on a new branch, continuing the
// agent's conversation where the agent can.

import type { Command } from 'commander';
import { genericAdapter } from '../../../adapters/generic.js';
import { InvalidInputError } from '../../core/errors.js';
import type { SessionRecord } from '../../core/session.js';
import { checkpointsOf } from '../../core/session-events.js';
import { resolveCheckpoint } from '../../sessions/checkpoint-address.js';
import { readSessionEvents, readTranscriptFiles } from '../../sessions/stored-files.js';
import { action } from '../context.js';
import { adapterNamed, type Launch, type RunOptions, runAndClose, runOptions, userShell } from './run.js';

export function registerFork(program: Command): void {
  const fork = program
    .command('fork')
    .description(
      'a new session from a checkpoint of an earlier one: a new branch with the files of that moment, the same task, the conversation resumed where the agent can',
    )
    .argument('<checkpoint>', 'SESSION@N: the N-th checkpoint of a session (0 is its start, -1 its last)')
    .argument('[args...]', "words after --: for the agent, or the command to run instead of the parent's");
  runOptions(fork).action(
    action(async (ctx, spec: string, words: string[], options: RunOptions) => {
      const root = (await ctx.project()).root;
      const sessions = await ctx.sessions();
      const target = await resolveCheckpoint(sessions, root, spec);
      if (!target.session)
        throw new InvalidInputError(`"${spec}" is a commit, not a session's checkpoint: use SESSION@N.`);
      const parent = target.session;
      const checkpoints = checkpointsOf(await readSessionEvents(sessions, parent.id));
      const index = target.index ?? checkpoints.findIndex((c) => c.commit === target.commit);
      const { forkSummary } = await import('../../sessions/fork-summary.js');
      const summary = await forkSummary(
        parent,
        () => readTranscriptFiles(sessions, parent.id),
        checkpoints,
        index,
      );
      const launch = forkLaunch(parent, words, options);
      process.exitCode = await runAndClose(ctx, parent.itemId, launch, options, {
        parent,
        commit: target.commit,
        checkpoint: index >= 0 ? index : null,
        summary,
      });
    }),
  );
}

/**
 * What the fork runs: --cmd when given, else --agent or the parent's agent (the words after -- go to
 * it); a fork of a plain command or a shell runs the words after -- instead, or the parent's again.
 */
export function forkLaunch(parent: SessionRecord, words: string[], options: RunOptions): Launch {
  if (options.cmd && words.length > 0)
    throw new InvalidInputError('Give the command either with --cmd "..." or after --, not both.');
  if (options.cmd && options.agent && options.agent !== 'generic')
    throw new InvalidInputError(
      `--cmd runs a command line of its own; it cannot go with --agent ${options.agent}.`,
    );
  if (options.cmd)
    return { adapter: genericAdapter, extraArgs: ['/bin/sh', '-c', options.cmd], label: 'generic' };
  const agent = options.agent ?? parent.agent;
  if (agent === 'shell' && words.length === 0)
    return { adapter: genericAdapter, extraArgs: userShell(), label: 'shell' };
  if (agent !== 'generic' && agent !== 'shell')
    return { adapter: adapterNamed(agent), extraArgs: words, label: agent };
  // a plain command: the words after -- replace it; without them the parent's command runs again,
  // unless that was an agent's, made for the parent's own conversation
  if (words.length === 0 && parent.agent !== 'generic' && parent.agent !== 'shell')
    throw new InvalidInputError(
      `Session ${parent.id} ran ${parent.agent}, not a plain command: give the command after --, or --cmd "...".`,
    );
  return { adapter: genericAdapter, extraArgs: words.length > 0 ? words : parent.command, label: 'generic' };
}
