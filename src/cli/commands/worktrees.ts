// sdd worktrees: the worktrees `sdd run --worktree` made, and removing a finished one.

import type { Command } from 'commander';
import { listWorktrees, removeWorktree } from '../../sessions/worktrees.js';
import { action } from '../context.js';

export function registerWorktrees(program: Command): void {
  const worktrees = program
    .command('worktrees')
    .description('the worktrees of `sdd run --worktree` (`sdd worktrees remove NAME` removes a finished one)')
    .action(
      action(async (ctx) => {
        const list = listWorktrees((await ctx.project()).root);
        ctx.print(list, (l) =>
          l.length === 0
            ? 'No session worktrees: `sdd run <task> --worktree -- <agent>` makes one.'
            : l
                .map(
                  (w) =>
                    `${w.name}  ${w.branch ?? '(detached)'}  ${w.head.slice(0, 10)}${w.dirty ? '  uncommitted changes' : ''}`,
                )
                .join('\n'),
        );
      }),
    );
  worktrees
    .command('remove')
    .alias('rm')
    .description("remove a worktree's folder; its branch and its session's checkpoints stay")
    .argument('<name>', 'the worktree (its folder name is enough)')
    .option('-f, --force', 'remove it even with uncommitted changes (the checkpoints keep them)')
    .action(
      action(async (ctx, name: string, options: { force?: boolean }) => {
        const removed = removeWorktree((await ctx.project()).root, name, options.force ?? false);
        ctx.print(
          removed,
          (w) => `Removed ${w.name}; branch ${w.branch} and the session's checkpoints remain.`,
        );
      }),
    );
}
