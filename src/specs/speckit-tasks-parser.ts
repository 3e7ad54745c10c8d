// Parses spec-kit's tasks.md into a TaskListDocument. Pure: it reads a string and either returns the whole
// document or throws one ParseError listing every problem, so an import never applies half a file.

import { ParseError, type ParseProblem } from '../core/errors.js';
import type { TaskListDocument, TaskListPhase, TaskListTask } from '../core/task-list.js';
import { cleanTitle } from '../core/titles.js';
import { indentWidth, readLines } from './markdown-lines.js';
import { readHeading, readPhaseHeading } from './phase-heading.js';
import { isBrokenCheckbox, matchCheckbox, readTaskHead } from './task-line.js';
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

interface StoryTag {
  story: string;
  line: number;
}

export function parseTaskList(text: string, opts: TaskListSource): TaskListDocument {
  const problems: ParseProblem[] = [];
  const report = (line: number, problem: string) => problems.push({ file: opts.file, line, problem });
  const warnings: ParseProblem[] = [];
  // A messy title is no reason to refuse a file: it is cleaned, and the person told where.
  const titleAt = (line: number, raw: string): string => {
    const { title, problems: changes } = cleanTitle(raw);
    for (const change of changes) warnings.push({ file: opts.file, line, problem: `warning: ${change}` });
    return title;
  };
  const looseTasks: TaskListTask[] = [];
  const phases: TaskListPhase[] = [];
  const keyCounts = new Map<string, number>();
  const storyPhaseLines = new Map<string, number>();
  const taskLines = new Map<string, number>();
  const storyTags: StoryTag[] = [];
  let phase: TaskListPhase | null = null;
  let open: OpenTask | null = null;
  let checkboxLines = 0;

  for (const line of readLines(text)) {
    if (line.hidden) continue;
    const box = matchCheckbox(line.text);
    if (open) {
      // A blank line does not end a task's details: more indented text may follow it.
      if (line.text.trim() === '') continue;
      if (!box && indentWidth(line.text) > open.indent) {
        open.details.push(line.text.trim());
        continue;
      }
      closeTask(open);
      open = null;
    }

    const heading = readHeading(line.text);
    if (heading) {
      const found = readPhaseHeading(heading);
      if (found) {
        if (found.story !== null) {
          const first = storyPhaseLines.get(found.story);
          if (first === undefined) storyPhaseLines.set(found.story, line.number);
          else report(line.number, `user story ${found.story} already has a phase (line ${first})`);
        }
        const count = (keyCounts.get(found.key) ?? 0) + 1;
        keyCounts.set(found.key, count);
        phase = {
          key: count === 1 ? found.key : `${found.key}-${count}`,
          kind: found.kind,
          title: titleAt(line.number, found.title),
          line: line.number,
          priority: found.priority,
          mvp: found.mvp,
          tasks: [],
        };
        phases.push(phase);
      } else if (heading.level <= 2) {
        // "## Dependencies & Execution Order", "## Notes": the phase is over; subsections (###) are not.
        phase = null;
      }
      continue;
    }

    if (!box) {
      if (isBrokenCheckbox(line.text)) {
        checkboxLines += 1;
        report(line.number, 'malformed check box: write `- [ ]` for an open task or `- [x]` for a done one');
      }
      continue;
    }
    checkboxLines += 1;
    const head = readTaskHead(box.rest);
    if (!head) {
      report(line.number, 'task line has no valid id (expected T001 after the check box)');
      continue;
    }
    const first = taskLines.get(head.number);
    if (first === undefined) taskLines.set(head.number, line.number);
    else report(line.number, `duplicate task id ${head.ref} (first at line ${first})`);
    const stories = [...new Set(head.stories)];
    if (stories.length > 1) {
      report(line.number, `task ${head.ref} has more than one story tag (${stories.join(', ')})`);
    }
    for (const story of stories) storyTags.push({ story, line: line.number });
    const title = titleAt(line.number, head.title);
    if (title === '') report(line.number, `task ${head.ref} has no description`);

    const task: TaskListTask = {
      ref: head.ref,
      line: line.number,
      checked: box.checked,
      parallel: head.parallel,
      story: stories[0] ?? null,
      title,
      details: '',
      paths: pathsIn(title),
    };
    (phase ? phase.tasks : looseTasks).push(task);
    open = { task, indent: box.indent, details: [] };
  }
  if (open) closeTask(open);

  for (const tag of storyTags) {
    const number = tag.story.slice(2);
    if (!storyPhaseLines.has(number)) {
      report(tag.line, `story tag [${tag.story}] but the file has no phase for User Story ${number}`);
    }
  }
  if (checkboxLines === 0) report(1, 'no tasks found (expected lines like `- [ ] T001 Description`)');
  if (problems.length > 0) throw new ParseError(problems.sort((a, b) => a.line - b.line));

  const epicTitle = cleanTitle(opts.epicTitle).title;
  const document = { epicKey: opts.epicKey, epicTitle, file: opts.file, looseTasks, phases };
  return warnings.length > 0 ? { ...document, warnings } : document;
}

function closeTask(open: OpenTask): void {
  open.task.details = open.details.join('\n');
}
