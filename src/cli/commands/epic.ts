// sdd epic show: an epic's history: each phase with its sessions (who, agent, when, outcome), the
// decisions with their moments, and the versions of every artifact of its spec folder.

import type { Command } from 'commander';
import { action } from '../context.js';
import { type EpicHistory, epicHistory } from '../epic-history.js';
import { epicOfPhase } from '../epic-of.js';
import { localTime } from '../format.js';
import { momentLink } from './decisions.js';

export function registerEpic(program: Command): void {
  const epic = program.command('epic').description('the history of an epic of the spec workflow');
  epic
    .command('show')
    .description(
      "an epic's phases and each one's sessions, its decisions with the moment in their session, and the versions of every artifact",
    )
    .argument('[epic]', 'the epic: 001-photo-albums, its sdd id, or none for the one of the current branch')
    .action(
      action(async (ctx, ref: string | undefined) => {
        const project = await ctx.project();
        const service = await ctx.service();
        const epic = await epicOfPhase(service, project.root, ref);
        ctx.print(await epicHistory(project.root, service, await ctx.sessions(), epic), formatHistory);
      }),
    );
}

function formatHistory(h: EpicHistory): string {
  const lines = [`${h.epic.key}  ${h.epic.title}  (epic ${h.epic.id}, ${h.epic.status})  ${h.specDir}/`];
  lines.push('', 'phases:');
  for (const p of h.phases) {
    if (p.sessions.length === 0) {
      lines.push(`  ${p.phase}: not yet`);
      continue;
    }
    lines.push(`  ${p.phase}:`);
    for (const s of p.sessions) {
      const open = s.recordedIn !== undefined && s.endedAt === null;
      const outcome = open
        ? 'open (--here)'
        : s.exitCode === null
          ? s.status
          : `${s.status}, exit ${s.exitCode}`;
      const where = s.recordedIn
        ? `  (in session ${s.recordedIn})`
        : s.recordedIn === null
          ? '  (no recording)'
          : '';
      const task = s.task ? `${s.task}  ` : '';
      lines.push(
        `    ${task}${s.id}  ${s.actor}  ${s.agent}  ${localTime(s.startedAt)}  ${outcome}  ${s.checkpoints} checkpoint(s)${where}`,
      );
    }
  }
  lines.push('', 'decisions:');
  if (h.decisions.length === 0) lines.push('  none yet (`sdd clarify` records them)');
  for (const d of h.decisions) {
    lines.push(
      `  ${d.id}  ${d.question} → ${d.choice}  (${d.actor}${momentLink(d) ? `; ${momentLink(d)}` : ''})`,
    );
  }
  lines.push('', 'artifacts (`sdd artifact log` / `sdd artifact diff` FILE v1 v2):');
  if (h.artifacts.length === 0) lines.push('  none yet');
  for (const a of h.artifacts) {
    const last = a.versions.at(-1);
    lines.push(
      `  ${a.file}  ${a.versions.length} version(s)${last ? `, last ${localTime(last.at)} by ${last.author}` : ''}`,
    );
    for (const v of a.versions) lines.push(`    ${versionLine(v)}`);
  }
  return lines.join('\n');
}

export function versionLine(v: EpicHistory['artifacts'][number]['versions'][number]): string {
  const where =
    v.source === 'session'
      ? `session ${v.sessionId}@${v.checkpoint} (at ${v.sessionTime?.toFixed(1)}s)`
      : `commit ${v.commit.slice(0, 10)}`;
  return `${v.version}  ${localTime(v.at)}  ${v.author}  ${v.change}  ${where}`;
}
