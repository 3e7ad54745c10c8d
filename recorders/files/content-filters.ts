// Whether git could change a file's bytes on the way into the repository (line endings, LFS, any
// filter): only when nothing can may a checkpoint hash files itself instead of asking git to.

import { access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isFalse, type Repository, type RepositorySettings } from './repository.js';

const SYSTEM_ATTRIBUTES = '/etc/gitattributes';

/**
 * True when core.autocrlf is on or an attributes file outside the tree exists ($GIT_DIR/info,
 * core.attributesFile or its default, the system one). Attributes files inside the tree are the
 * caller's to check (it knows the tree).
 */
export async function mayConvertContent(repo: Repository, settings: RepositorySettings): Promise<boolean> {
  // Any value but a false one converts (true, input, a key without a value).
  if (settings.autocrlf !== undefined && !isFalse(settings.autocrlf)) return true;
  const configured = settings.attributesFile;
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
