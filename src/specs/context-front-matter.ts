// The front matter a context document may start with (Kiro steering's form): when the document goes
// into an agent's prompt. Messy input is read as far as it makes sense; every oddity is a warning
// with its line, and the text itself is never dropped.

export type ContextInclusion = 'always' | 'fileMatch' | 'manual';

export interface ContextFrontMatter {
  inclusion: ContextInclusion;
  /** For `fileMatch`: the globs of the files that bring the document in. */
  fileMatchPattern: string[];
  /** The text after the front matter (all of it when there is none). */
  body: string;
  /** 1-based line of the body's first line in the whole text. */
  bodyLine: number;
  warnings: { line: number; problem: string }[];
}

const KNOWN_KEYS = new Set(['inclusion', 'fileMatchPattern', 'name', 'description']);

export function readContextFrontMatter(text: string): ContextFrontMatter {
  const clean = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = clean.split(/\r?\n/);
  const result: ContextFrontMatter = {
    inclusion: 'always',
    fileMatchPattern: [],
    body: clean,
    bodyLine: 1,
    warnings: [],
  };
  if (lines[0]?.trim() !== '---') return result;
  const end = lines.findIndex((line, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(line));
  if (end === -1) {
    result.warnings.push({
      line: 1,
      problem: 'front matter opened with "---" is never closed; the whole file is taken as text',
    });
    return result;
  }
  let inclusion: string | null = null;
  let inclusionLine = 1;
  let listKey: string | null = null;
  for (let i = 1; i < end; i++) {
    const line = lines[i]!;
    const number = i + 1;
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const item = /^\s+-\s*(.*)$/.exec(line);
    if (item && listKey === 'fileMatchPattern') {
      const value = unquote(item[1]!);
      if (value) result.fileMatchPattern.push(value);
      continue;
    }
    const pair = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!pair) {
      result.warnings.push({ line: number, problem: `front matter line not understood: "${line.trim()}"` });
      continue;
    }
    const key = pair[1]!;
    const value = pair[2]!.trim();
    listKey = value === '' ? key : null;
    if (!KNOWN_KEYS.has(key)) {
      result.warnings.push({ line: number, problem: `unknown front matter key "${key}" (kept in the text)` });
    }
    if (key === 'inclusion') {
      inclusion = unquote(value);
      inclusionLine = number;
    }
    if (key === 'fileMatchPattern' && value !== '') result.fileMatchPattern.push(...patternList(value));
  }
  result.body = lines.slice(end + 1).join('\n');
  result.bodyLine = end + 2;
  result.inclusion = inclusionOf(inclusion, inclusionLine, result);
  return result;
}

function inclusionOf(value: string | null, line: number, result: ContextFrontMatter): ContextInclusion {
  if (value === null || value === '' || value === 'always') return 'always';
  if (value === 'manual') return 'manual';
  if (value === 'fileMatch') {
    if (result.fileMatchPattern.length > 0) return 'fileMatch';
    result.warnings.push({
      line,
      problem: 'inclusion: fileMatch without a fileMatchPattern; the document is included always',
    });
    return 'always';
  }
  result.warnings.push({
    line,
    problem: `inclusion "${value}" is not always, fileMatch or manual; the document is included always`,
  });
  return 'always';
}

/** `"a/**"`, `'a/**'`, `[ "a/**", "b/*.ts" ]` or `a/**, b/*.ts`. */
function patternList(value: string): string[] {
  const inner = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  return inner
    .split(',')
    .map((part) => unquote(part.trim()))
    .filter((part) => part !== '');
}

function unquote(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length >= 2 && /^(["']).*\1$/.test(trimmed)) return trimmed.slice(1, -1);
  return trimmed;
}

/** A glob (`**`, `*`, `?`, `{a,b}`) as a regular expression over a /-separated relative path. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  let i = 0;
  let braces = 0;
  const pattern = glob.replace(/^\.\//, '');
  while (i < pattern.length) {
    const char = pattern[i]!;
    if (char === '*') {
      if (pattern[i + 1] === '*') {
        const slashAfter = pattern[i + 2] === '/';
        source += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 3 : 2;
        continue;
      }
      source += '[^/]*';
    } else if (char === '?') source += '[^/]';
    else if (char === '{') {
      braces++;
      source += '(?:';
    } else if (char === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (char === ',' && braces > 0) source += '|';
    else source += char.replace(/[.+^$()|[\]\\]/g, '\\$&');
    i++;
  }
  return new RegExp(`^${source}$`);
}

export function matchesAny(path: string, patterns: string[]): boolean {
  const clean = path.replace(/^\.\//, '');
  return patterns.some((pattern) => globToRegExp(pattern).test(clean));
}
