// sdd show: one item with everything around it.

import type { Command } from 'commander';
import type { ItemSummary } from '../../core/ready.js';
import type { ItemDetails } from '../../core/service.js';
import type { SessionRecord } from '../../core/session.js';
import { checkpointsOf } from '../../core/session-events.js';
import type { SessionStore } from '../../core/session-store.js';
import { sourceRef } from '../../core/types.js';
import { readSessionEvents } from '../../sessions/stored-files.js';
import { action } from '../context.js';
import { clockTime, localTime, priorityLabel, progressLabel, statusMark, summaryLabel } from '../format.js';

export function registerShow(program: Command): void {
  program
    .command('show')
    .description('show an item: status, claim, where it came from, its dependencies, progress and notes')
    .argument('<ref>', 'sdd id (sd-12), task id (T012) or full reference (004-team-notes/T012)')
    .action(
      action(async (ctx, ref: string) => {
        const details = await (await ctx.service()).getItem(ref);
        const sessions = await sessionsOf(await ctx.sessions(), details.item.id);
        ctx.print({ ...details, sessions }, formatDetails);
      }),
    );
}

/** What `sdd show` says of each session that worked on the item (newest first, the last ten). */
interface SessionLine {
  id: string;
  actor: string;
  agent: string;
  startedAt: string;
  endedAt: string | null;
  status: SessionRecord['status'];
  exitCode: number | null;
  checkpoints: number;
}

const SHOWN_SESSIONS = 10;

async function sessionsOf(store: SessionStore, itemId: string): Promise<SessionLine[]> {
  const records = await store.list({ itemId, limit: SHOWN_SESSIONS });
  return Promise.all(
    records.map(async (r) => ({
      id: r.id,
      actor: r.actor,
      agent: r.agent,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      status: r.status,
      exitCode: r.exitCode,
      checkpoints: checkpointsOf(await readSessionEvents(store, r.id)).length,
    })),
  );
}

function formatDetails(d: ItemDetails & { sessions: SessionLine[] }): string {
  const { item } = d;
  const lines: string[] = [];
  lines.push(`${statusMark(item.status)} ${item.id}  ${item.type}  ${item.title}`);
  const facts = [`status: ${item.status}`, `priority: ${priorityLabel(item.priority)}`];
  if (item.mvp) facts.push('MVP');
  if (item.labels.length > 0) facts.push(`labels: ${item.labels.join(', ')}`);
  lines.push(`  ${facts.join('   ')}`);
  if (d.progress) lines.push(`  progress: ${progressLabel(d.progress)}`);
  if (d.epic) lines.push(`  epic: ${summaryLabel(d.epic)}  ${d.epic.title}`);
  if (d.parent && d.parent.id !== d.epic?.id)
    lines.push(`  parent: ${summaryLabel(d.parent)}  ${d.parent.title}`);
  if (item.source) {
    const gone = item.source.removed ? ' (no longer in the file)' : '';
    lines.push(`  source: ${item.source.file}:${item.source.line}  ${sourceRef(item.source)}${gone}`);
  }
  if (item.claim) {
    const lapsed = Date.parse(item.claim.expiresAt) <= Date.now() ? ' (expired)' : '';
    lines.push(`  claim: ${item.claim.actor} until ${clockTime(item.claim.expiresAt)}${lapsed}`);
  }
  if (item.description) lines.push('', ...item.description.split('\n').map((l) => `  ${l}`));
  const section = (title: string, items: ItemSummary[]) => {
    if (items.length === 0) return;
    lines.push('', `${title}:`);
    for (const s of items) lines.push(`  ${statusMark(s.status)} ${summaryLabel(s)}  ${s.title}`);
  };
  section('blocked by', d.blockedBy);
  section('blocks', d.blocks);
  section('children', d.children);
  section('related', d.related);
  section('discovered from', d.discoveredFrom);
  if (d.waitsOn.length > 0 && !['done', 'cancelled'].includes(item.status)) {
    lines.push('', 'waits on:');
    for (const w of d.waitsOn) {
      lines.push(
        `  ${statusMark(w.on.status)} ${summaryLabel(w.on)}  ${w.on.title}${w.via ? `  (via ${summaryLabel(w.via)})` : ''}`,
      );
    }
  } else if (d.ready) {
    lines.push('', 'ready: nothing it waits on is unfinished');
  }
  if (item.notes.length > 0) {
    lines.push('', 'notes:');
    for (const n of item.notes) lines.push(`  ${localTime(n.at)}  ${n.author}: ${n.text}`);
  }
  if (d.sessions.length > 0) {
    lines.push('', 'sessions (`sdd replay <id>` plays one):');
    for (const s of d.sessions) {
      const outcome = s.exitCode === null ? s.status : `${s.status}, exit ${s.exitCode}`;
      lines.push(
        `  ${s.id}  ${s.actor}  ${s.agent}  ${localTime(s.startedAt)}  ${outcome}  ${s.checkpoints} checkpoint(s)`,
      );
    }
  }
  return lines.join('\n');
}
