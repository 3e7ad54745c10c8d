// sdd ready and sdd blocked: what can be worked on now, and what waits on what.

import type { Command } from 'commander';
import { type BlockedEntry, nothingReadyReason, type ReadyEntry, summarize } from '../../core/ready.js';
import type { WorkQuery } from '../../core/service.js';
import { parseLimit } from '../arguments.js';
import { action } from '../context.js';
import { columnWidths, itemLine, statusMark, summaryLabel } from '../format.js';

export function workOptions(command: Command, withLimit = true): Command {
  command
    .option('-e, --epic <ref>', 'only work below this epic (or feature)')
    .option('-l, --label <label>', 'only work with this label');
  return withLimit ? command.option('-n, --limit <n>', 'at most this many', parseLimit) : command;
}

export function registerWork(program: Command): void {
  workOptions(
    program
      .command('ready')
      .description(
        'open, unclaimed tasks whose blockers are all finished, most urgent first (priority, MVP, plan order)',
      ),
  ).action(
    action(async (ctx, query: WorkQuery) => {
      const service = await ctx.service();
      const entries = await service.ready(query);
      // Nothing ready in an epic whose tasks are all done is good news, not a reason to look for blockers.
      const scope = entries.length === 0 && query.epic ? await service.getItem(query.epic) : null;
      const reason = nothingReadyReason(scope && summarize(scope.item), scope?.progress ?? null);
      ctx.print(entries, (e) => formatReady(e, reason));
    }),
  );

  workOptions(
    program
      .command('blocked')
      .description('unfinished tasks that wait on unfinished work, and what each waits on'),
  ).action(
    action(async (ctx, query: WorkQuery) => {
      const entries = await (await ctx.service()).blocked(query);
      ctx.print(entries, formatBlocked);
    }),
  );
}

function formatReady(entries: ReadyEntry[], nothingReady: string): string {
  if (entries.length === 0) return `Nothing is ready: ${nothingReady}.`;
  const widths = columnWidths(entries.map((e) => e.item));
  const lines = [`${entries.length} ready:`];
  for (const e of entries) {
    const where = [e.parent?.title, e.epic && e.epic.id !== e.parent?.id ? e.epic.title : undefined]
      .filter(Boolean)
      .join(' · ');
    lines.push(`${itemLine(e.item, widths)}${where ? `  — ${where}` : ''}`);
    lines.push(`${' '.repeat(widths.id + 4)}${e.reason}`);
  }
  return lines.join('\n');
}

function formatBlocked(entries: BlockedEntry[]): string {
  if (entries.length === 0) return 'Nothing is blocked.';
  const widths = columnWidths(entries.map((e) => e.item));
  const lines = [`${entries.length} blocked:`];
  for (const e of entries) {
    lines.push(itemLine(e.item, widths));
    for (const w of e.waitsOn) {
      const via =
        w.via && w.via.id !== w.on.id ? ` (its ${w.via.type} ${summaryLabel(w.via)} waits on it)` : '';
      const closed = w.via && w.via.id === w.on.id ? ` (its ${w.on.type} is ${w.on.status})` : '';
      lines.push(
        `${' '.repeat(widths.id + 4)}waits on ${statusMark(w.on.status)} ${summaryLabel(w.on)} ${w.on.title}${via}${closed}`,
      );
    }
  }
  return lines.join('\n');
}
