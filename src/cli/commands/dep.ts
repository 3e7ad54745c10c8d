// sdd dep add|rm|list: dependencies between items. "sdd dep add A B" reads "A depends on B":
// B blocks A (or A is a child of B, was discovered from B, is related to B).

import type { Command } from 'commander';
import type { DependencyView } from '../../core/service.js';
import { DEPENDENCY_TYPES, type DependencyType } from '../../core/types.js';
import { action } from '../context.js';
import { statusMark, summaryLabel } from '../format.js';

const VERBS: Record<DependencyType, string> = {
  blocks: 'waits on',
  'parent-child': 'is a child of',
  related: 'is related to',
  'discovered-from': 'was discovered from',
};

function describe(d: DependencyView): string {
  return `${summaryLabel(d.from)} ${VERBS[d.type]} ${summaryLabel(d.to)}${d.origin === 'import' ? '  (from tasks.md)' : ''}`;
}

export function registerDep(program: Command): void {
  const dep = program
    .command('dep')
    .description('dependencies: "sdd dep add A B" means A depends on B (B blocks A)');

  dep
    .command('add')
    .description('add a dependency: <item> depends on <on>; a blocks edge that closes a cycle is refused')
    .argument('<item>', 'the item that waits')
    .argument('<on>', 'the item it depends on')
    .option('--type <type>', DEPENDENCY_TYPES.join(', '), 'blocks')
    .action(
      action(async (ctx, from: string, to: string, options: { type: DependencyType }) => {
        const view = await (await ctx.service()).addDependency(from, to, options.type, ctx.actor());
        ctx.print(view, (v) => `Added: ${describe(v)}.`);
      }),
    );

  dep
    .command('rm')
    .description('remove the dependency of <item> on <on>')
    .argument('<item>')
    .argument('<on>')
    .option('--type <type>', `only this kind (${DEPENDENCY_TYPES.join(', ')}); default: every kind`)
    .action(
      action(async (ctx, from: string, to: string, options: { type?: DependencyType }) => {
        const removed = await (await ctx.service()).removeDependency(from, to, options.type);
        ctx.print(removed, (r) => r.map((v) => `Removed: ${describe(v)}.`).join('\n'));
      }),
    );

  dep
    .command('list')
    .description('every dependency of an item, both ways')
    .argument('<item>')
    .action(
      action(async (ctx, ref: string) => {
        const views = await (await ctx.service()).listDependencies(ref);
        ctx.print(views, (vs) =>
          vs.length === 0
            ? `${ref} has no dependencies.`
            : vs.map((v) => `${statusMark(v.to.status)} ${describe(v)}  ${v.to.title}`).join('\n'),
        );
      }),
    );
}
