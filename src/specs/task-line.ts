// Reads one spec-kit task line ("- [ ] T012 [P] [US1] Create Note model in src/models/note.py"). The parser
// and the box ticker share it so that both agree on what a task line is.

import { indentWidth } from './markdown-lines.js';

export interface CheckboxLine {
  /** Columns before the list marker (or before the box, on a line without one). */
  indent: number;
  /** Index in the line of the character between the box's brackets. */
  boxOffset: number;
  /** What is between the brackets: ' ', 'x', 'X', or another single character such as '~' (one or two code units). */
  mark: string;
  checked: boolean;
  /** The mark is neither ' ' nor x/X: a character people use for "in progress", "skipped" or "done". */
  oddMark: boolean;
  /** The line has a list bullet (`- [ ]`), as Markdown wants; `[ ] T001` alone has none. */
  bullet: boolean;
  /** Everything after the box, trimmed. */
  rest: string;
}

export interface TaskHead {
  /** The id as written: T012, T011a. */
  ref: string;
  /** The id without leading zeros and with its suffix in lower case (12, 11a), so T12 and T012 compare equal. */
  number: string;
  parallel: boolean;
  /** Every story tag on the line, normalised (US1); more than one is the parser's problem to report. */
  stories: string[];
  title: string;
}

// Any Markdown list item (-, * or + bullets, numbered 1. or 1)) or none at all. In the box: a space, x or X,
// or one other symbol ([~], [-], [#], [✓]); a letter or digit ([P], [1]) is a tag, not a box.
const CHECKBOX =
  /^([ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+)?)\[( |[xX]|[^\]\s\p{L}\p{N}]\uFE0F?)\](?=[ \t]|$)(.*)$/u;
// A list item with something box-like before a task id that is not a box: "- [] T008", "- [ x] T009", or a
// box never closed ("- [x T010"), which would otherwise be skipped and its task lost.
const BROKEN_CHECKBOX = /^[ \t]*(?:[-*+]|\d+[.)])[ \t]*\[[^\]\n]{0,3}\]?[ \t]*T\d+/;
// Symbols that can only mean "done"; any other odd mark is read as open.
const DONE_MARKS = /^[✓✔✅☑√🗸]\uFE0F?$/u;
// An id, perhaps bold (**T001**) and with a letter for a task inserted later (T011a), perhaps followed by a
// colon or full stop ("T001: Create..."), which is punctuation, not title.
const TASK_ID = /^(\*\*)?T(\d+)([a-z]?)\1(?:[:.](?=\s|$))?(?=\s|\[|$)/i;
// "T001-T006: Setup (all)", "T010 – T012", "T001..T004": a roll-up of other lines, never a task.
const ROLL_UP = /^(\*\*)?(T\d+[a-z]?)(?:\s*(?:[-–—]|\.\.|\bto\b)\s*(T\d+[a-z]?)|(?:[-–]|\.\.)(\d+[a-z]?))\b/i;
// A bracket group followed by "(" is a Markdown link, which belongs to the title.
const TAG = /^\s*\[([^\]\n]*)\](?!\()/;
// [P] or a story tag at the end of the line ("Create the model [P]").
const TRAILING_TAG = /\s*\[(P|US[-\s]?\d+)\]\s*$/i;
const STORY_TAG = /^US[-\s]?0*(\d+)$/i;
// "T001 - Create project": the dash (or colon) between id and title is punctuation.
const SEPARATOR = /^[-–—:]\s+/;

export function matchCheckbox(line: string): CheckboxLine | null {
  const match = CHECKBOX.exec(line);
  if (!match) return null;
  const bullet = match[1]!.trim() !== '';
  const rest = match[3]!.trim();
  // Without a bullet only a box before a task id is a task line: "[x] done" in prose is not.
  if (!bullet && !/^(\*\*)?T\d/i.test(rest)) return null;
  const mark = match[2]!;
  const oddMark = !/^[ xX]$/.test(mark);
  return {
    indent: indentWidth(line),
    boxOffset: match[1]!.length + 1,
    mark,
    checked: /^[xX]$/.test(mark) || DONE_MARKS.test(mark),
    oddMark,
    bullet,
    rest,
  };
}

/** A line meant as a task whose check box is malformed (a matchCheckbox miss that looks like a task). */
export function isBrokenCheckbox(line: string): boolean {
  return BROKEN_CHECKBOX.test(line) && !CHECKBOX.test(line);
}

/** The range a roll-up line covers ("T001-T006"), or null when `rest` is not one. */
export function readRollUp(rest: string): { from: string; to: string } | null {
  const match = ROLL_UP.exec(rest);
  if (!match) return null;
  return { from: match[2]!, to: match[3] ?? `T${match[4]}` };
}

/** The id, tags and title after the box; null when the line has no valid id. */
export function readTaskHead(rest: string): TaskHead | null {
  if (ROLL_UP.test(rest)) return null;
  const id = TASK_ID.exec(rest);
  if (!id) return null;
  let remaining = rest.slice(id[0].length);
  let parallel = false;
  const stories: string[] = [];
  const keptTags: string[] = [];
  const readTag = (name: string): boolean => {
    const story = STORY_TAG.exec(name);
    if (/^P$/i.test(name)) parallel = true;
    else if (story) stories.push(`US${normaliseNumber(story[1]!)}`);
    else return false;
    return true;
  };
  for (let tag = TAG.exec(remaining); tag; tag = TAG.exec(remaining)) {
    if (!readTag(tag[1]!.trim())) keptTags.push(`[${tag[1]}]`);
    remaining = remaining.slice(tag[0].length);
  }
  remaining = remaining.trim().replace(SEPARATOR, '');
  for (let tag = TRAILING_TAG.exec(remaining); tag; tag = TRAILING_TAG.exec(remaining)) {
    readTag(tag[1]!);
    remaining = remaining.slice(0, tag.index);
  }
  const title = [...keptTags, remaining.trim()].filter((part) => part !== '').join(' ');
  const number = `${normaliseNumber(id[2]!)}${id[3]!.toLowerCase()}`;
  return { ref: `T${id[2]}${id[3]}`, number, parallel, stories, title };
}

/** The number of a task reference like T012, t12 or T011a, null when it is not one. */
export function taskRefNumber(ref: string): string | null {
  const match = /^T(\d+)([a-z]?)$/i.exec(ref.trim());
  return match ? `${normaliseNumber(match[1]!)}${match[2]!.toLowerCase()}` : null;
}

export function normaliseNumber(digits: string): string {
  return digits.replace(/^0+(?=\d)/, '');
}
