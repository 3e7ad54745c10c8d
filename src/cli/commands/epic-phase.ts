// A phase that needs nothing of its own before its session: the epic, the agent or command, then
// runPhase (sdd clarify and sdd tasks; sdd plan lays its template down first, sdd specify makes the epic).

import type { Command } from 'commander';
import type { PhaseName } from '../../core/phases.js';
import { action } from '../context.js';
import { epicOfPhase } from '../epic-of.js';
import { runPhase } from '../phase-command.js';
import { epicAndCommand, type PhaseOptions, phaseOptions } from '../phase-launch.js';

export function registerEpicPhase(program: Command, phase: PhaseName, description: string): void {
  const command = program
    .command(phase)
    .description(description)
    .argument('[epic]', 'the epic (default: the one of the current NNN-* branch, else the only open one)')
    .argument('[command...]', 'a program to run instead of an agent, after --');
  phaseOptions(command).action(
    action(async (ctx, epicRef: string | undefined, typed: string[], options: PhaseOptions) => {
      const { ref, words } = epicAndCommand(epicRef, typed);
      const epic = await epicOfPhase(await ctx.service(), (await ctx.project()).root, ref);
      process.exitCode = await runPhase(ctx, { phase, epic, description: '', options, words });
    }),
  );
}
