// sdd init: make the current repository an sdd project.

import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { action } from '../context.js';
import { initProject } from '../project.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description(
      'set up sdd in this repository: .sdd/config.json, .sdd/context/, and a git-ignored .sdd/local/',
    )
    .option('--prefix <prefix>', 'prefix of item ids (sd-1, sd-2, ...)', 'sd')
    .action(
      action(async (ctx, options: { prefix: string }) => {
        const root = gitTopLevel(ctx.cwd) ?? resolve(ctx.cwd);
        const { project, created } = await initProject(root, options.prefix);
        ctx.print({ root: project.root, created, config: project.config }, (r) =>
          r.created
            ? `Set up sdd in ${r.root} (ids like ${r.config.idPrefix}-1).\nNext: \`sdd import specs/NNN-slug/\` or \`sdd create "title"\`.`
            : `sdd is already set up in ${r.root}; nothing changed.`,
        );
      }),
    );
}

function gitTopLevel(cwd: string): string | null {
  const git = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8' });
  return git.status === 0 ? git.stdout.trim() : null;
}
