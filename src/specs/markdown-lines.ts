// Splits a Markdown document into lines and marks those a reader must not take for content: fenced code
// and HTML comments, where spec-kit's templates keep examples that look just like tasks.

export interface SourceLine {
  /** 1-based. */
  number: number;
  /** The line without its line ending. */
  text: string;
  /** Offset of the line's first character in the original text, so a writer can patch it in place. */
  start: number;
  /** Inside a fenced code block or an HTML comment, delimiters included. */
  hidden: boolean;
}

interface Fence {
  char: string;
  length: number;
}

const FENCE_OPEN = /^[ \t]*(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^[ \t]*(`{3,}|~{3,})[ \t]*$/;

export function readLines(text: string): SourceLine[] {
  const lines: SourceLine[] = [];
  let start = text.startsWith('\uFEFF') ? 1 : 0;
  let fence: Fence | null = null;
  let inComment = false;
  for (let number = 1; ; number += 1) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const body = text.slice(start, end).replace(/\r$/, '');
    let hidden = true;
    if (fence) {
      if (closesFence(body, fence)) fence = null;
    } else if (inComment) {
      if (body.includes('-->')) inComment = false;
    } else {
      fence = opensFence(body);
      const comment = fence ? -1 : body.search(/^[ \t]*<!--/);
      if (comment !== -1) inComment = !body.slice(body.indexOf('<!--') + 4).includes('-->');
      hidden = fence !== null || comment !== -1;
    }
    lines.push({ number, text: body, start, hidden });
    if (newline === -1) return lines;
    start = newline + 1;
  }
}

/** Columns of leading whitespace, a tab reaching the next multiple of 4 as Markdown counts it. */
export function indentWidth(line: string): number {
  let width = 0;
  for (const char of line) {
    if (char === ' ') width += 1;
    else if (char === '\t') width += 4 - (width % 4);
    else break;
  }
  return width;
}

function opensFence(line: string): Fence | null {
  const match = FENCE_OPEN.exec(line);
  if (!match) return null;
  const marker = match[1]!;
  // CommonMark: a backtick fence's info string holds no backticks, so ```x``` is inline code, not a fence.
  if (marker.startsWith('`') && match[2]!.includes('`')) return null;
  return { char: marker[0]!, length: marker.length };
}

function closesFence(line: string, fence: Fence): boolean {
  const match = FENCE_CLOSE.exec(line);
  return match !== null && match[1]![0] === fence.char && match[1]!.length >= fence.length;
}
