// sdd specify: a new epic of the spec workflow. The next feature number (from this clone's specs/
// and the team's tracker at once), its branch NNN-short-name, specs/NNN-short-name/spec.md from
// spec-kit's template, the epic in the tracker, and the recorded session that writes the spec.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import {
  featureTitleOf,
  fillTemplate,
  highestFeatureNumber,
  shortNameOf,
} from '../../specs/feature-names.js';
import { SPEC_TEMPLATE } from '../../specs/templates/spec-template.js';
import { action } from '../context.js';
import { epicFacts, epicOfPhase } from '../epic-of.js';
import { runPhase } from '../phase-command.js';
import { type PhaseOptions, phaseLaunch, phaseOptions } from '../phase-launch.js';
import { checkRunnable } from './run.js';

interface SpecifyOptions extends PhaseOptions {
  shortName?: string;
  branch: boolean;
}

export function registerSpecify(program: Command): void {
  const command = program
    .command('specify')
    .description(
      'start an epic: the next feature number, branch NNN-short-name, specs/NNN-short-name/spec.md, the epic in the tracker, and a recorded session in which the agent (or you, --shell) writes the spec',
    )
    .argument(
      '[description]',
      'what the feature is, in words ("Photo albums people can share"); with --here --done: the epic',
    )
    .argument('[command...]', 'a program to run instead of an agent, after --')
    .option(
      '--short-name <name>',
      'the folder and branch name after the number (default: from the description)',
    )
    .option('--no-branch', 'stay on the current branch');
  phaseOptions(command).action(
    action(async (ctx, description: string | undefined, words: string[], options: SpecifyOptions) => {
      if (options.done && options.here) {
        // The end of a specify phase begun with --here: the epic exists; nothing is reserved again.
        const epic = await epicOfPhase(await ctx.service(), (await ctx.project()).root, description);
        process.exitCode = await runPhase(ctx, { phase: 'specify', epic, description: '', options, words });
        return;
      }
      const text = (description ?? '').trim();
      if (text === '') throw new InvalidInputError('Say what the feature is: sdd specify "<description>".');
      const project = await ctx.project();
      const service = await ctx.service();
      // An agent that is not there to run is refused before a number is taken or a branch made.
      if (!options.here) checkRunnable(await phaseLaunch(ctx, options, words));
      const shortName = options.shortName ?? shortNameOf(text);
      const reserved = await service.reserveEpic(
        {
          shortName,
          title: featureTitleOf(text),
          description: text,
          minNumber: highestFeatureNumber(project.root) + 1,
        },
        ctx.actor(),
      );
      const epic = epicFacts(reserved.epic);
      if (options.branch) switchToFeatureBranch(project.root, reserved.key);
      const specPath = join(project.root, epic.specDir, 'spec.md');
      await mkdir(join(project.root, epic.specDir), { recursive: true });
      if (!existsSync(specPath)) {
        const filled = fillTemplate(SPEC_TEMPLATE, {
          'FEATURE NAME': reserved.epic.title,
          '###-feature-name': reserved.key,
          DATE: new Date().toISOString().slice(0, 10),
          DESCRIPTION: text.replace(/"/g, "'"),
        });
        await writeFile(specPath, filled);
      }
      if (!ctx.json)
        process.stderr.write(
          `sdd: feature ${reserved.key} (epic ${reserved.epic.id}), ${epic.specDir}/spec.md\n`,
        );
      process.exitCode = await runPhase(ctx, { phase: 'specify', epic, description: text, options, words });
    }),
  );
}

/** spec-kit works a feature on its own branch; a folder that is not a git repository just goes on. */
function switchToFeatureBranch(root: string, branch: string): void {
  const inGit = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root, encoding: 'utf8' });
  if (inGit.status !== 0) return;
  const result = spawnSync('git', ['switch', '-q', '-c', branch], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(
      `sdd: warning: could not create branch ${branch} (${result.stderr.trim()}); staying on this one.\n`,
    );
  }
}
