// sdd tasks: a recorded session that writes the epic's tasks.md, imported into the tracker at its
// end as `sdd import` does (re-running it updates the same tasks).

import type { Command } from 'commander';
import { action } from '../context.js';
import { epicOfPhase } from '../epic-of.js';
import { runPhase } from '../phase-command.js';
import { epicAndCommand, type PhaseOptions, phaseOptions } from '../phase-launch.js';

export function registerTasks(program: Command): void {
  const command = program
    .command('tasks')
    .description(
      "a recorded session that writes the epic's tasks.md from its plan; then imported into the tracker (exit 1 when no tasks.md was written)",
    )
    .argument('[epic]', 'the epic (default: the one of the current NNN-* branch, else the only open one)')
    .argument('[command...]', 'a program to run instead of an agent, after --');
  phaseOptions(command).action(
    action(async (ctx, epicRef: string | undefined, typed: string[], options: PhaseOptions) => {
      const { ref, words } = epicAndCommand(epicRef, typed);
      const epic = await epicOfPhase(await ctx.service(), (await ctx.project()).root, ref);
      process.exitCode = await runPhase(ctx, { phase: 'tasks', epic, description: '', options, words });
    }),
  );
}
