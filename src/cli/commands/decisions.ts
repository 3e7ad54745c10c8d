// sdd decisions: the decisions of the project or of one epic, searchable, each with the moment in
// its session (`sdd replay SESSION --at TIME` shows the screen then).

import type { Command } from 'commander';
import type { Decision } from '../../core/decisions.js';
import { action } from '../context.js';
import { epicOfPhase } from '../epic-of.js';
import { localTime } from '../format.js';

interface DecisionsOptions {
  grep?: string;
  all?: boolean;
}

/** The command that shows the moment of a decision, or null when it was made outside any session. */
export function momentLink(d: Pick<Decision, 'sessionId' | 'sessionTime'>): string | null {
  if (!d.sessionId) return null;
  return d.sessionTime === null
    ? `sdd replay ${d.sessionId}`
    : `sdd replay ${d.sessionId} --at ${d.sessionTime.toFixed(1)}`;
}

export function registerDecisions(program: Command): void {
  program
    .command('decisions')
    .description(
      'the decisions made while shaping and building epics (question, choice, why, who), each with the moment in its session',
    )
    .argument(
      '[epic]',
      'only this epic (and its items); default: the one of the current NNN-* branch, else every epic',
    )
    .option(
      '-g, --grep <words>',
      'only decisions whose question, options, choice or rationale hold all these words',
    )
    .option('--all', 'every epic, even on an epic branch')
    .action(
      action(async (ctx, ref: string | undefined, options: DecisionsOptions) => {
        const service = await ctx.service();
        const project = await ctx.project();
        let epic: string | undefined;
        if (ref) epic = (await epicOfPhase(service, project.root, ref)).epic.id;
        else if (!options.all) {
          epic = await epicOfPhase(service, project.root, undefined).then(
            (e) => e.epic.id,
            () => undefined, // no single epic here: all of them
          );
        }
        const decisions = await service.listDecisions({
          ...(epic && { epic }),
          ...(options.grep && { grep: options.grep }),
        });
        const listed = decisions.map((d) => ({ ...d, replay: momentLink(d) }));
        ctx.print(listed, (list) => {
          if (list.length === 0)
            return options.grep ? `No decision mentions "${options.grep}".` : 'No decisions yet.';
          return list
            .map((d) => {
              const lines = [
                `${d.id}  ${d.question}`,
                `    → ${d.choice}${d.rationale ? ` (${d.rationale})` : ''}`,
              ];
              if (d.options.length > 0) lines.push(`    options: ${d.options.join(' | ')}`);
              lines.push(`    ${d.actor}, ${localTime(d.at)}, ${d.source}${d.replay ? `; ${d.replay}` : ''}`);
              return lines.join('\n');
            })
            .join('\n');
        });
      }),
    );
}
