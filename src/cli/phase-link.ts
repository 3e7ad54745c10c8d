// What a phase leaves behind, linked to its epic once it ends: the decisions of spec.md's
// Clarifications section (each with the moment its line first appeared in the session's
// checkpoints) and, after `sdd tasks`, the task list imported into the tracker.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Decision } from '../core/decisions.js';
import type { ParseProblem } from '../core/errors.js';
import type { ImportResult, Service } from '../core/service.js';
import type { SessionRecord } from '../core/session.js';
import { checkpointsOf } from '../core/session-events.js';
import type { SessionStore } from '../core/session-store.js';
import { hasCommit } from '../sessions/checkpoint-bundles.js';
import { readSessionEvents } from '../sessions/stored-files.js';
import { type Clarification, readClarifications } from '../specs/clarifications.js';
import { fileAt } from './artifact-git.js';
import type { EpicOfPhase } from './epic-of.js';
import type { Project } from './project.js';

export interface DecisionsLinked {
  decisions: Decision[];
  warnings: ParseProblem[];
}

/**
 * The moment a Clarifications line first appeared in the session: the time of the first checkpoint
 * holding it; null when it was there before the session began (written by hand between sessions),
 * the session's end when no checkpoint holds it (no git, or written in the last instant).
 */
async function momentsOf(
  root: string,
  store: SessionStore,
  session: SessionRecord | null,
  file: string,
  lines: Clarification[],
): Promise<Map<Clarification, { sessionId: string | null; sessionTime: number | null }>> {
  const out = new Map<Clarification, { sessionId: string | null; sessionTime: number | null }>();
  if (!session) {
    for (const c of lines) out.set(c, { sessionId: null, sessionTime: null });
    return out;
  }
  const events = await readSessionEvents(store, session.id);
  const checkpoints = checkpointsOf(events).filter((c) => hasCommit(root, c.commit));
  const texts = checkpoints.map((c) => fileAt(root, c.commit, file) ?? '');
  const end = events.at(-1)?.time ?? null;
  for (const c of lines) {
    const first = texts.findIndex((text) => text.includes(c.text));
    if (first === 0 && checkpoints[0]!.trigger === 'start')
      out.set(c, { sessionId: null, sessionTime: null });
    else if (first >= 0) out.set(c, { sessionId: session.id, sessionTime: checkpoints[first]!.time });
    else out.set(c, { sessionId: session.id, sessionTime: end });
  }
  return out;
}

/** Records the Clarifications of spec.md as decisions on the epic (one already recorded stays as it was). */
export async function linkClarifications(
  project: Project,
  service: Service,
  store: SessionStore,
  epic: EpicOfPhase,
  session: SessionRecord | null,
  actor: string,
): Promise<DecisionsLinked> {
  const file = join(epic.specDir, 'spec.md');
  const path = join(project.root, file);
  if (!existsSync(path)) return { decisions: [], warnings: [] };
  const read = readClarifications(await readFile(path, 'utf8'), file);
  const moments = await momentsOf(project.root, store, session, file, read.clarifications);
  const decisions: Decision[] = [];
  for (const c of read.clarifications) {
    const moment = moments.get(c)!;
    decisions.push(
      await service.recordDecision(
        {
          item: epic.epic.id,
          question: c.question,
          options: c.options,
          choice: c.choice,
          rationale: c.rationale,
          sessionId: moment.sessionId,
          sessionTime: moment.sessionTime,
          source: 'clarifications',
        },
        session?.actor ?? actor,
      ),
    );
  }
  return { decisions, warnings: read.warnings };
}

/** Imports the epic's tasks.md as `sdd import` does; null when the phase wrote none. */
export async function linkTaskList(
  project: Project,
  service: Service,
  epic: EpicOfPhase,
  actor: string,
): Promise<{ result: ImportResult; warnings: ParseProblem[] } | null> {
  const path = join(project.root, epic.specDir, 'tasks.md');
  if (!existsSync(path)) return null;
  const { importTaskListFile } = await import('./commands/import.js');
  const { document, result } = await importTaskListFile(service, project, path, actor);
  return { result, warnings: document.warnings ?? [] };
}
