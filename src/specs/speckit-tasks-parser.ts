// Parses spec-kit's tasks.md into a TaskListDocument. Pure: it reads a string and either returns the whole
// document or throws one ParseError listing every problem, so an import never applies half a file. It
// refuses only what would put a task in the wrong place or lose one; any other oddity is imported as
// sensibly as it can be and reported as a `file:line: warning: ...`.

import { ParseError, type ParseProblem } from '../core/errors.js';
import type { TaskListDocument, TaskListPhase, TaskListTask } from '../core/task-list.js';
import { cleanTitle } from '../core/titles.js';
import { indentWidth, readLines } from './markdown-lines.js';
import {
  canBeTaskGroup,
  type Heading,
  isChecklistTitle,
  isTaskListSection,
  type PhaseHeading,
  phaseFromTitle,
  readHeading,
  readPhaseHeading,
  readStoryHeading,
} from './phase-heading.js';
import { resolveCopies, type TaskOccurrence } from './task-copies.js';
import { isBrokenCheckbox, matchCheckbox, readRollUp, readTaskHead } from './task-line.js';
import { type BoxlessLine, checkWholeFile } from './task-list-checks.js';
import { pathsIn } from './task-paths.js';

export interface TaskListSource {
  /** The path reported in problems and kept in the document, relative to the project root. */
  file: string;
  epicKey: string;
  epicTitle: string;
}

interface OpenTask {
  task: TaskListTask;
  indent: number;
  details: string[];
}

/** Check boxes without an id that were passed over, counted per section so that one warning covers them. */
interface SkippedRun {
  line: number;
  count: number;
  where: string;
}

// A short label line that introduces a list: "**Acceptance Criteria**:", "Checkpoint:".
const LABEL_LINE =
  /^\s*(?:(?:\*\*|__)?[^*_:]{1,80}(?:\*\*|__)?\s*:\s*(?:\*\*|__)?|(?:\*\*|__)[^*_:]{1,80}(?:\*\*|__))\s*$/;
// A list item or bare line that starts with a task id but has no box: "- T007 Add logging".
const BOXLESS_TASK = /^[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+)?(?:\*\*)?(T\d+[a-z]?)\b(?!\s*[-–—]\s*T?\d)/i;

export function parseTaskList(text: string, opts: TaskListSource): TaskListDocument {
  const problems: ParseProblem[] = [];
  const report = (line: number, problem: string) => problems.push({ file: opts.file, line, problem });
  const warnings: ParseProblem[] = [];
  const warn = (line: number, problem: string) =>
    warnings.push({ file: opts.file, line, problem: `warning: ${problem}` });
  // A messy title is no reason to refuse a file: it is cleaned, and the person told where.
  const titleAt = (line: number, raw: string): string => {
    const { title, problems: changes } = cleanTitle(raw);
    for (const change of changes) warn(line, change);
    return title;
  };
  const lines = readLines(text);
  // Read ahead: whether the file has phase headings at all, and which stories have one of their own.
  const phaseHeadings = lines.flatMap((l) => {
    const heading = l.hidden ? null : readHeading(l.text);
    const found = heading && readPhaseHeading(heading);
    return found ? [found] : [];
  });
  const hasPhaseHeadings = phaseHeadings.length > 0;
  const storiesWithPhase = new Set(phaseHeadings.map((p) => p.story));
  const looseTasks: TaskListTask[] = [];
  const phases: TaskListPhase[] = [];
  const keyCounts = new Map<string, number>();
  const storyPhaseLines = new Map<string, number>();
  const occurrences: TaskOccurrence[] = [];
  const seenNumbers = new Set<string>();
  const boxless: BoxlessLine[] = [];
  const bulletless: number[] = [];
  // Set by the closures below too, so typed by `as` rather than narrowed to null.
  let phase = null as TaskListPhase | null;
  // A group heading ("### Core" under "## Task List") becomes a phase at its first task, so that a
  // heading with no tasks under it adds no feature.
  let pending = null as { found: PhaseHeading; line: number } | null;
  let inTaskListSection = false;
  let checklist = null as string | null;
  // A label line's checklist ("**Acceptance**:") lasts until the next task; a heading's until the next heading.
  let checklistFromLabel = false;
  let sectionTitle = 'the top of the file';
  let skipped = null as SkippedRun | null;
  let open: OpenTask | null = null;

  const flushSkipped = () => {
    if (skipped) {
      const what = skipped.count === 1 ? 'a check box' : `${skipped.count} check boxes`;
      warn(skipped.line, `${what} without a task id under ${skipped.where}: not tasks, skipped`);
    }
    skipped = null;
  };
  const openPhase = (found: PhaseHeading, line: number): TaskListPhase => {
    const count = (keyCounts.get(found.key) ?? 0) + 1;
    keyCounts.set(found.key, count);
    const opened: TaskListPhase = {
      key: count === 1 ? found.key : `${found.key}-${count}`,
      kind: found.kind,
      title: titleAt(line, found.title),
      line,
      priority: found.priority,
      mvp: found.mvp,
      tasks: [],
    };
    phases.push(opened);
    return opened;
  };
  const enterHeading = (heading: Heading, line: number) => {
    flushSkipped();
    checklistFromLabel = false;
    sectionTitle = `"${heading.text}"`;
    const found = readPhaseHeading(heading);
    const story = found ? null : readStoryHeading(heading);
    if (found) {
      if (found.story !== null) {
        const first = storyPhaseLines.get(found.story);
        if (first === undefined) storyPhaseLines.set(found.story, line);
        else report(line, `user story ${found.story} already has a phase (line ${first})`);
      }
      phase = openPhase(found, line);
      pending = null;
      inTaskListSection = false;
      checklist = isChecklistTitle(found.title) ? found.title : null;
    } else if (story && !storyPhaseLines.has(story.story!) && !storiesWithPhase.has(story.story)) {
      // "#### User Story 2" inside a phase or a task list: the story's own phase, from its first task on.
      storyPhaseLines.set(story.story!, line);
      // A phase that only holds story sub-headings ("## Phase 3: User Stories") would stay empty, and an
      // empty phase counts as done: it adds no feature, as a group heading without tasks adds none.
      if (phase && phase.tasks.length === 0 && phases.at(-1) === phase) phases.pop();
      phase = null;
      pending = { found: story, line };
      checklist = null;
    } else if (heading.level <= 2) {
      // "## Dependencies & Execution Order", "## Notes": the phase is over; subsections (###) are not.
      phase = null;
      pending = null;
      inTaskListSection = isTaskListSection(heading);
      checklist = null;
      if (!hasPhaseHeadings && heading.level === 2 && !inTaskListSection && canBeTaskGroup(heading)) {
        pending = { found: phaseFromTitle(heading.text), line };
      }
    } else if (inTaskListSection && heading.level === 3) {
      phase = null;
      pending = { found: phaseFromTitle(heading.text), line };
      checklist = null;
    } else {
      checklist = isChecklistTitle(heading.text) ? heading.text : null;
    }
  };

  for (const line of lines) {
    if (line.hidden) continue;
    const box = matchCheckbox(line.text);
    const head = box ? readTaskHead(box.rest) : null;
    if (open) {
      // A blank line does not end a task's details: more indented text may follow it.
      if (line.text.trim() === '') continue;
      // An indented line under a task is its detail, a check box without an id too (a sub-step).
      if (
        !head &&
        indentWidth(line.text) > open.indent &&
        !(box && readRollUp(box.rest)) &&
        !isBrokenCheckbox(line.text)
      ) {
        open.details.push(line.text.trim());
        continue;
      }
      closeTask(open);
      open = null;
    }

    const heading = readHeading(line.text);
    if (heading) {
      enterHeading(heading, line.number);
      continue;
    }

    if (!box) {
      if (isBrokenCheckbox(line.text)) {
        report(line.number, 'malformed check box: write `- [ ]` for an open task or `- [x]` for a done one');
        continue;
      }
      const boxlessTask = BOXLESS_TASK.exec(line.text);
      if (boxlessTask) boxless.push({ ref: boxlessTask[1]!, line: line.number, inPhase: phase !== null });
      else if (line.text.trim() !== '' && LABEL_LINE.test(line.text) && isChecklistTitle(line.text)) {
        flushSkipped();
        checklist = line.text.replace(/[*_:]/g, '').trim();
        checklistFromLabel = true;
      }
      continue;
    }
    if (!head) {
      const rollUp = readRollUp(box.rest);
      if (rollUp) {
        warn(
          line.number,
          `roll-up line for ${rollUp.from}–${rollUp.to}, not a task: skipped (each of its tasks has its own line)`,
        );
      } else if (phase && !checklist) {
        report(
          line.number,
          'task line has no valid id (expected T001 after the check box); a checklist that is not tasks belongs under its own heading, such as `### Acceptance Criteria`',
        );
      } else {
        skipped ??= { line: line.number, count: 0, where: checklist ? `"${checklist}"` : sectionTitle };
        skipped.count += 1;
      }
      continue;
    }

    if (!phase && pending) {
      phase = openPhase(pending.found, pending.line);
      pending = null;
    }
    // A new task ends a label's checklist; one repeating an earlier id is part of it.
    if (checklistFromLabel && !seenNumbers.has(head.number)) {
      flushSkipped();
      checklist = null;
      checklistFromLabel = false;
    }
    if (!box.bullet) bulletless.push(line.number);
    if (box.oddMark) {
      warn(
        line.number,
        `\`[${box.mark}]\` in ${head.ref}'s box is neither \`[ ]\` nor \`[x]\`: read as ${box.checked ? 'done' : 'open'}`,
      );
    }
    // With more than one story tag, the story of the phase it is listed in comes first.
    const stories = [...new Set(head.stories)].sort(
      (a, b) => Number(b === phase?.key) - Number(a === phase?.key),
    );
    const task: TaskListTask = {
      ref: head.ref,
      line: line.number,
      checked: box.checked,
      parallel: head.parallel,
      story: stories[0] ?? null,
      ...(stories.length > 1 ? { moreStories: stories.slice(1) } : {}),
      title: titleAt(line.number, head.title),
      details: '',
      paths: [],
    };
    task.paths = pathsIn(task.title);
    seenNumbers.add(head.number);
    occurrences.push({
      task,
      number: head.number,
      stories,
      inPhase: phase !== null,
      inChecklist: checklist !== null,
    });
    (phase ? phase.tasks : looseTasks).push(task);
    open = { task, indent: box.indent, details: [] };
  }
  if (open) closeTask(open);
  flushSkipped();

  const kept = resolveCopies(occurrences, report, warn);
  const keptTasks = new Set(kept.map((o) => o.task));
  const dropped = new Set(occurrences.filter((o) => !keptTasks.has(o.task)).map((o) => o.task));
  const keep = (tasks: TaskListTask[]) => tasks.filter((t) => !dropped.has(t));
  const finalLoose = keep(looseTasks);
  const finalPhases = phases.map((p) => ({ ...p, tasks: keep(p.tasks) }));

  checkWholeFile({ kept, storyPhaseLines, boxless, bulletless, problems, warnings }, report, warn);
  if (problems.length > 0) throw new ParseError(problems.sort((a, b) => a.line - b.line));

  const epicTitle = cleanTitle(opts.epicTitle).title;
  const document = {
    epicKey: opts.epicKey,
    epicTitle,
    file: opts.file,
    looseTasks: finalLoose,
    phases: finalPhases,
  };
  return warnings.length > 0 ? { ...document, warnings: warnings.sort((a, b) => a.line - b.line) } : document;
}

function closeTask(open: OpenTask): void {
  open.task.details = open.details.join('\n');
}
