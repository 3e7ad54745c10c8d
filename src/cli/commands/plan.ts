// sdd plan: a recorded session that writes the epic's design: plan.md (from spec-kit's template),
// research.md, data-model.md, contracts/ and quickstart.md.

import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { fillTemplate } from '../../specs/feature-names.js';
import { PLAN_TEMPLATE } from '../../specs/templates/plan-template.js';
import { action } from '../context.js';
import { epicOfPhase } from '../epic-of.js';
import { runPhase } from '../phase-command.js';
import { epicAndCommand, type PhaseOptions, phaseOptions } from '../phase-launch.js';

export function registerPlan(program: Command): void {
  const command = program
    .command('plan')
    .description(
      "a recorded session that writes the epic's plan: plan.md, research.md, data-model.md, contracts/, quickstart.md",
    )
    .argument('[epic]', 'the epic (default: the one of the current NNN-* branch, else the only open one)')
    .argument('[command...]', 'a program to run instead of an agent, after --');
  phaseOptions(command).action(
    action(async (ctx, epicRef: string | undefined, typed: string[], options: PhaseOptions) => {
      const { ref, words } = epicAndCommand(epicRef, typed);
      const project = await ctx.project();
      const epic = await epicOfPhase(await ctx.service(), project.root, ref);
      const planPath = join(project.root, epic.specDir, 'plan.md');
      // As spec-kit's setup-plan script: the template in place, for the agent or the person to fill.
      if (!options.done && existsSync(join(project.root, epic.specDir)) && !existsSync(planPath)) {
        const filled = fillTemplate(PLAN_TEMPLATE, {
          FEATURE: epic.epic.title,
          '###-feature-name': epic.key,
          DATE: new Date().toISOString().slice(0, 10),
          'SPEC PATH': `${epic.specDir}/spec.md`,
        });
        await writeFile(planPath, filled);
      }
      process.exitCode = await runPhase(ctx, { phase: 'plan', epic, description: '', options, words });
    }),
  );
}
