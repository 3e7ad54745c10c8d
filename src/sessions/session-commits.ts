// The commits a session produced, with the patch id of each change, and the reverse: which session
// made a commit. A commit amended or rebased since has another sha but (mostly) the same patch id,
// so a link by patch id survives what links by sha, trailers or notes lose.

import { execFile } from 'node:child_process';
import type { SessionCommit } from '../core/session.js';

/** More than this in one session is a merge of someone else's history, not the session's work. */
const MAX_COMMITS = 500;

/** git's output, or null when it failed; it holds no thread (a session's teardown runs beside it). */
function git(cwd: string, args: string[], input = ''): Promise<string | null> {
  return new Promise((resolve) => {
    const child = execFile(
      'git',
      args,
      { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
      (error, stdout) => resolve(error ? null : stdout),
    );
    // git may exit before reading all of its input (a bad revision): its exit code says so.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}

/** The commits from `base` (excluded) to HEAD, oldest first; none when there is no git or no base. */
export async function commitsSince(workTree: string, base: string | null): Promise<SessionCommit[]> {
  if (!base) return [];
  const range = `${base}..HEAD`;
  const listed = await git(workTree, [
    'log',
    '--reverse',
    `--max-count=${MAX_COMMITS}`,
    '--format=%H %s',
    range,
  ]);
  if (!listed?.trim()) return [];
  const patches = await git(workTree, [
    'log',
    `--max-count=${MAX_COMMITS}`,
    '-p',
    '--format=commit %H',
    range,
  ]);
  const patchIds = await patchIdsOf(workTree, patches ?? '');
  return listed
    .trim()
    .split('\n')
    .map((line) => {
      const space = line.indexOf(' ');
      const sha = space < 0 ? line : line.slice(0, space);
      return { sha, patchId: patchIds.get(sha) ?? null, subject: space < 0 ? '' : line.slice(space + 1) };
    });
}

/** commit sha -> patch id, from `git log -p` text (or `git show`). */
async function patchIdsOf(cwd: string, patches: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (!patches) return ids;
  for (const line of ((await git(cwd, ['patch-id', '--stable'], patches)) ?? '').split('\n')) {
    const [patchId, sha] = line.trim().split(' ');
    if (patchId && sha) ids.set(sha, patchId);
  }
  return ids;
}

/** The full sha and patch id of a commit named any way git takes (HEAD~2, a short sha). */
export async function commitIdentity(
  repo: string,
  name: string,
): Promise<{ sha: string; patchId: string | null } | null> {
  const sha = (await git(repo, ['rev-parse', '--verify', '-q', `${name}^{commit}`]))?.trim();
  if (!sha) return null;
  const patch = (await git(repo, ['show', '--format=commit %H', '-p', sha])) ?? '';
  return { sha, patchId: (await patchIdsOf(repo, patch)).get(sha) ?? null };
}
