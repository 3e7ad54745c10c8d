// Who is acting: --as NAME, else $SDD_ACTOR, else git's user.name, else the login name.

import { spawnSync } from 'node:child_process';
import { userInfo } from 'node:os';

export function resolveActor(explicit: string | undefined, cwd: string): string {
  const chosen = explicit?.trim() || process.env.SDD_ACTOR?.trim();
  if (chosen) return chosen;
  const git = spawnSync('git', ['config', 'user.name'], { cwd, encoding: 'utf8' });
  const gitName = git.status === 0 ? git.stdout.trim() : '';
  if (gitName) return gitName;
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}
