// sdd fork: start a new session from a checkpoint of an earlier one, on a new branch, continuing the
// agent's conversation where the agent can.

import type { Command } from 'commander';
import { genericAdapter } from '../../../adapters/generic.js';
import { findAdapter } from '../../../adapters/index.js';
import { InvalidInputError } from '../../core/errors.js';
import { checkpointEvents, resolveCheckpoint } from '../../sessions/checkpoint-address.js';
import { SessionFolder } from '../../sessions/session-folder.js';
import { action } from '../context.js';
import { adapterNamed, type Launch, type RunOptions, runAndClose, runOptions, userShell } from './run.js';

export function registerFork(program: Command): void {
  const fork = program
    .command('fork')
    .description(
      'a new session from a checkpoint of an earlier one: a new branch with the files of that moment, the same task, the conversation resumed where the agent can',
    )
    .argument('<checkpoint>', 'SESSION@N: the N-th checkpoint of a session (0 is its start, -1 its last)')
    .argument('[args...]', 'words after -- go to the agent');
  runOptions(fork).action(
    action(async (ctx, spec: string, words: string[], options: RunOptions) => {
      const root = (await ctx.project()).root;
      const target = await resolveCheckpoint(root, spec);
      if (!target.session)
        throw new InvalidInputError(`"${spec}" is a commit, not a session's checkpoint: use SESSION@N.`);
      const parent = target.session;
      const folder = await SessionFolder.open(root, parent.id);
      const checkpoints = await checkpointEvents(folder);
      const index = target.index ?? checkpoints.findIndex((c) => c.commit === target.commit);
      const { forkSummary } = await import('../../sessions/fork-summary.js');
      const summary = await forkSummary(parent, folder, checkpoints, index);
      const agent = options.agent ?? parent.agent;
      let launch: Launch;
      if (findAdapter(agent) && agent !== 'generic')
        launch = { adapter: adapterNamed(agent), extraArgs: words, label: agent };
      else if (agent === 'shell')
        launch = { adapter: genericAdapter, extraArgs: userShell(), label: 'shell' };
      else
        launch = {
          adapter: genericAdapter,
          extraArgs: words.length > 0 ? words : parent.command,
          label: 'generic',
        };
      process.exitCode = await runAndClose(ctx, parent.itemId, launch, options, {
        parent,
        commit: target.commit,
        checkpoint: index >= 0 ? index : null,
        summary,
      });
    }),
  );
}
