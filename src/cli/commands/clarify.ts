// sdd clarify: a recorded session that resolves the spec's [NEEDS CLARIFICATION] markers; each
// question and answer becomes a decision (from the MCP tool, or read from ## Clarifications).

import type { Command } from 'commander';
import { action } from '../context.js';
import { epicOfPhase } from '../epic-of.js';
import { runPhase } from '../phase-command.js';
import { epicAndCommand, type PhaseOptions, phaseOptions } from '../phase-launch.js';

export function registerClarify(program: Command): void {
  const command = program
    .command('clarify')
    .description(
      "a recorded session that resolves the spec's [NEEDS CLARIFICATION] markers with you; each question and answer becomes a decision (`sdd decisions`)",
    )
    .argument('[epic]', 'the epic (default: the one of the current NNN-* branch, else the only open one)')
    .argument('[command...]', 'a program to run instead of an agent, after --');
  phaseOptions(command).action(
    action(async (ctx, epicRef: string | undefined, typed: string[], options: PhaseOptions) => {
      const { ref, words } = epicAndCommand(epicRef, typed);
      const epic = await epicOfPhase(await ctx.service(), (await ctx.project()).root, ref);
      process.exitCode = await runPhase(ctx, { phase: 'clarify', epic, description: '', options, words });
    }),
  );
}
