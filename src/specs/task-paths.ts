// Picks the file and folder paths out of a task's description, so the tracker can tell which tasks touch
// the same files. A heuristic: descriptions are prose, and a false path costs less than a missed one.

const LEADING = /^[("'`[]+/;
const TRAILING = /[,.;:)!?"'`\]]+$/;
const EXTENSION = /\.[A-Za-z][A-Za-z0-9]{0,9}$/;
// Product names written like files: Node.js, Vue.js, Next.js.
const PRODUCT_NAME = /^[A-Z][a-z]*\.js$/;

/**
 * A token is a path when it is not a URL, does not start with "/" (that rules out "POST /notes", at the
 * cost of absolute paths, which tasks.md does not use), and either
 * - is in backticks and has a "/" or an extension,
 * - ends with "/" (docs/, src/models/),
 * - has a last segment with a file extension (src/models/note.py, README.md), or
 * - has at least two "/" (src/models/entities).
 * A single "/" between words ("authentication/authorization", "and/or") is prose, not a path.
 */
export function pathsIn(description: string): string[] {
  const paths: string[] = [];
  for (const token of description.split(/\s+/)) {
    const quoted = /^[("'[]*`/.test(token);
    const candidate = token.replace(LEADING, '').replace(TRAILING, '');
    if (isPath(candidate, quoted) && !paths.includes(candidate)) paths.push(candidate);
  }
  return paths;
}

function isPath(token: string, quoted: boolean): boolean {
  if (token === '' || token.startsWith('/') || token.includes('://') || token.includes('`')) return false;
  const slashes = token.split('/').length - 1;
  const lastSegment = token.slice(token.lastIndexOf('/') + 1);
  const hasExtension = hasFileExtension(lastSegment, slashes > 0);
  if (quoted) return slashes > 0 || hasExtension;
  return token.endsWith('/') || hasExtension || slashes >= 2;
}

function hasFileExtension(name: string, inFolder: boolean): boolean {
  if (!EXTENSION.test(name)) return false;
  if (inFolder) return true;
  // Alone, "e.g." and "i.e." look like files, and so do product names.
  const stem = name.slice(0, name.lastIndexOf('.'));
  return stem.length >= 2 && !PRODUCT_NAME.test(name);
}
