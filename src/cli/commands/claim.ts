// sdd claim, release and done: taking a task, letting it go, and finishing it.

import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import type { ClaimResult, CloseResult, WorkQuery } from '../../core/service.js';
import type { Item } from '../../core/types.js';
import { parseDuration } from '../arguments.js';
import { action } from '../context.js';
import { clockTime, localRef } from '../format.js';
import { checkTaskBoxes, syncTaskBoxes } from '../task-box-sync.js';
import { workOptions } from './work.js';

function name(item: Item): string {
  return localRef(item) ? `${item.id} (${localRef(item)})` : item.id;
}

export function registerClaim(program: Command): void {
  workOptions(
    program
      .command('claim')
      .description(
        'claim a task for yourself (renews it if you hold it); with no <ref>, claim the first ready task in one atomic step',
      )
      .argument('[ref]', 'the task; omit to take the first ready one')
      .option('--ttl <duration>', 'lease length: 90s, 15m, 2h (renew by claiming again)', parseDuration)
      .option('-f, --force', 'take it even if someone else holds it or it waits on unfinished work'),
    false,
  ).action(
    action(async (ctx, ref: string | undefined, options: WorkQuery & { ttl?: number; force?: boolean }) => {
      const service = await ctx.service();
      const claimOptions = {
        ...(options.ttl !== undefined && { ttlSeconds: options.ttl }),
        ...(options.force !== undefined && { force: options.force }),
      };
      const query: WorkQuery = {
        ...(options.epic !== undefined && { epic: options.epic }),
        ...(options.label !== undefined && { label: options.label }),
      };
      if (ref && (options.epic !== undefined || options.label !== undefined)) {
        throw new InvalidInputError(
          '--epic and --label choose among ready work; with a task given they mean nothing. Drop one or the other.',
        );
      }
      const result = ref
        ? await service.claim(ref, ctx.actor(), claimOptions)
        : await service.claimNext(ctx.actor(), query, claimOptions);
      ctx.print(result, formatClaim);
    }),
  );

  program
    .command('release')
    .description('give a claimed task back: it becomes ready work again')
    .argument('<ref>', 'the task')
    .option('-f, --force', "release someone else's claim")
    .action(
      action(async (ctx, ref: string, options: { force?: boolean }) => {
        const result = await (await ctx.service()).release(ref, ctx.actor(), options);
        ctx.print(result, (r) =>
          r.released
            ? `Released ${name(r.item)}; it is ready work again.`
            : `${name(r.item)} was not claimed; nothing to release.`,
        );
      }),
    );

  program
    .command('done')
    .description('mark a task done (releasing its claim) and tick its box in tasks.md')
    .argument('<ref>', 'the task')
    .option('-f, --force', 'close it even though someone else holds it')
    .action(
      action(async (ctx, ref: string, options: { force?: boolean }) => {
        const service = await ctx.service();
        const root = (await ctx.project()).root;
        await checkTaskBoxes(root, [(await service.getItem(ref)).item], true);
        const result = await service.done(ref, ctx.actor(), options);
        const files = await syncTaskBoxes((await ctx.project()).root, [result.item]);
        ctx.print({ ...result, filesChanged: files }, (r) => formatDone(r, files));
      }),
    );
}

function formatClaim(r: ClaimResult): string {
  const verb = r.renewed
    ? 'Renewed your claim on'
    : r.tookOverFrom
      ? `Took over from ${r.tookOverFrom}:`
      : 'Claimed';
  return `${verb} ${name(r.item)}: ${r.item.title}\n  held by ${r.claim.actor} until ${clockTime(r.claim.expiresAt)}; renew with \`sdd claim ${r.item.id}\`, finish with \`sdd done ${r.item.id}\`.`;
}

function formatDone(r: CloseResult, files: string[]): string {
  const lines = [`Done: ${name(r.item)} ${r.item.title}`];
  for (const f of files) lines.push(`  ticked its box in ${f}`);
  for (const s of r.settled) lines.push(`  ${s.type} ${s.id} "${s.title}" is now ${s.status}`);
  return lines.join('\n');
}
