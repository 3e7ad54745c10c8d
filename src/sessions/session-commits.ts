// The commits a session produced, with the patch id of each change, and the reverse: which session
// made a commit. A commit amended or rebased since has another sha but (mostly) the same patch id,
// so a link by patch id survives what links by sha, trailers or notes lose.

import { execFile, spawnSync } from 'node:child_process';
import type { SessionCommit } from '../core/session.js';

/** More than this in one session is a merge of someone else's history, not the session's work. */
const MAX_COMMITS = 500;
const MAX_OUTPUT = 256 * 1024 * 1024;

function git(cwd: string, args: string[], input?: string): string | null {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', input, maxBuffer: MAX_OUTPUT });
  return result.status === 0 ? result.stdout : null;
}

/** git without holding the thread: the session's teardown runs its other steps meanwhile. */
function gitAsync(cwd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, encoding: 'utf8', maxBuffer: MAX_OUTPUT }, (error, stdout) =>
      resolve(error ? null : stdout),
    );
  });
}

/** The commits from `base` (excluded) to HEAD, oldest first; none when there is no git or no base. */
export async function commitsSince(workTree: string, base: string | null): Promise<SessionCommit[]> {
  if (!base) return [];
  const range = `${base}..HEAD`;
  const listed = await gitAsync(workTree, [
    'log',
    '--reverse',
    `--max-count=${MAX_COMMITS}`,
    '--format=%H %s',
    range,
  ]);
  if (!listed?.trim()) return [];
  const patches = await gitAsync(workTree, [
    'log',
    `--max-count=${MAX_COMMITS}`,
    '-p',
    '--format=commit %H',
    range,
  ]);
  const patchIds = patchIdsOf(workTree, patches ?? '');
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
function patchIdsOf(cwd: string, patches: string): Map<string, string> {
  const ids = new Map<string, string>();
  if (!patches) return ids;
  for (const line of (git(cwd, ['patch-id', '--stable'], patches) ?? '').split('\n')) {
    const [patchId, sha] = line.trim().split(' ');
    if (patchId && sha) ids.set(sha, patchId);
  }
  return ids;
}

/** The full sha and patch id of a commit named any way git takes (HEAD~2, a short sha). */
export function commitIdentity(repo: string, name: string): { sha: string; patchId: string | null } | null {
  const sha = git(repo, ['rev-parse', '--verify', '-q', `${name}^{commit}`])?.trim();
  if (!sha) return null;
  const patch = git(repo, ['show', '--format=commit %H', '-p', sha]) ?? '';
  return { sha, patchId: patchIdsOf(repo, patch).get(sha) ?? null };
}
