// Whether git could change a file's bytes on the way into the repository (line endings, LFS, any
// filter): only when nothing can may a checkpoint hash files itself instead of asking git to.

import { access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runGit } from './git.js';
import type { Repository } from './repository.js';

const SYSTEM_ATTRIBUTES = '/etc/gitattributes';

/**
 * True when core.autocrlf is on or an attributes file outside the tree exists ($GIT_DIR/info,
 * core.attributesFile or its default, the system one). Attributes files inside the tree are the
 * caller's to check (it knows the tree).
 */
export async function mayConvertContent(repo: Repository): Promise<boolean> {
  const result = await runGit(['config', '--get-regexp', '^core\\.(autocrlf|attributesfile)$'], {
    cwd: repo.topLevel,
    okExitCodes: [1],
  });
  const settings = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) settings.set(line.slice(0, space).toLowerCase(), line.slice(space + 1).trim());
  }
  const autocrlf = settings.get('core.autocrlf')?.toLowerCase();
  if (
    autocrlf !== undefined &&
    autocrlf !== 'false' &&
    autocrlf !== 'no' &&
    autocrlf !== 'off' &&
    autocrlf !== '0'
  ) {
    return true;
  }
  const configured = settings.get('core.attributesfile');
  const xdg = process.env.XDG_CONFIG_HOME;
  const globalAttributes = configured
    ? configured.replace(/^~(?=\/|$)/, homedir())
    : join(xdg ? xdg : join(homedir(), '.config'), 'git', 'attributes');
  const candidates = [repo.infoAttributesPath, globalAttributes];
  if (!process.env.GIT_ATTR_NOSYSTEM) candidates.push(SYSTEM_ATTRIBUTES);
  const found = await Promise.all(
    candidates.map((path) =>
      access(path).then(
        () => true,
        () => false,
      ),
    ),
  );
  return found.some(Boolean);
}
