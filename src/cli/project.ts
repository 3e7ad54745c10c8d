// Finding and setting up an sdd project: the folder holding .sdd/config.json, like git finds .git.

import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { EmbeddedService } from '../core/embedded-service.js';
import { InvalidInputError, NoProjectError, UnauthenticatedError } from '../core/errors.js';
import type { Service } from '../core/service.js';
import { LowdbStore } from '../store/lowdb-store.js';
import { ensurePrivateFolder } from '../store/private-folder.js';

export interface ProjectConfig {
  projectId: string;
  idPrefix: string;
  /** The team server's URL; none means the embedded store. */
  server: string | null;
  agent: string | null;
  /** The GitHub repository the tree is mirrored to (`sdd github connect`); never a token. */
  github?: { repo: string; apiUrl: string | null } | null;
}

export interface Project {
  root: string;
  config: ProjectConfig;
}

export const SDD_DIR = '.sdd';

export function configPath(root: string): string {
  return join(root, SDD_DIR, 'config.json');
}

export function databasePath(root: string): string {
  return join(root, SDD_DIR, 'local', 'db.json');
}

/** A session worktree sits in its project's .sdd/local/worktrees/: sdd run inside it uses the project's tracker. */
const WORKTREE_PART = `${sep}.sdd${sep}local${sep}worktrees${sep}`;

export function findProjectRoot(start: string): string | null {
  let dir = resolve(start);
  const inWorktree = dir.indexOf(WORKTREE_PART);
  if (inWorktree > 0) dir = dir.slice(0, inWorktree);
  for (;;) {
    if (existsSync(configPath(dir))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export async function openProject(start: string): Promise<Project> {
  const root = findProjectRoot(start);
  if (!root && !existsSync(start)) throw new InvalidInputError(`No such folder: ${resolve(start)}.`);
  if (!root) throw new NoProjectError(resolve(start));
  const text = await readFile(configPath(root), 'utf8');
  let config: ProjectConfig;
  try {
    config = { server: null, agent: null, ...JSON.parse(text) } as ProjectConfig;
  } catch (error) {
    throw new InvalidInputError(
      `${configPath(root)} is not valid JSON (${(error as Error).message}); fix or delete it.`,
    );
  }
  return { root, config };
}

/** The embedded tracker in .sdd/local/, or, once `sdd remote set` linked the project, its team server. */
export async function openService(project: Project): Promise<Service> {
  const { server, projectId } = project.config;
  if (!server) return openEmbeddedService(project);
  // Loaded only in remote mode, like the HTTP client: embedded commands start without them.
  const { tokenFor } = await import('./credentials.js');
  const token = await tokenFor(server);
  if (!token) {
    throw new UnauthenticatedError(
      `This project's tracker is on ${server}, and no token for it is kept here: run \`sdd login ${server}\` (or set SDD_TOKEN).`,
    );
  }
  // Loaded only in remote mode: embedded commands start without the HTTP client.
  const { RemoteService } = await import('../client/remote-service.js');
  return new RemoteService({ url: server, projectId, token });
}

export function openEmbeddedService(project: Project): Service {
  return new EmbeddedService(new LowdbStore(databasePath(project.root), project.config.idPrefix));
}

/** Rewrites .sdd/config.json whole, in one rename: a crash leaves the old settings or the new ones. */
export async function saveConfig(root: string, config: ProjectConfig): Promise<void> {
  const { default: writeFileAtomic } = await import('write-file-atomic'); // only writers pay for it
  await writeFileAtomic(configPath(root), `${JSON.stringify(config, null, 2)}\n`);
}

export function checkIdPrefix(prefix: string): string {
  if (!/^[a-z][a-z0-9]{0,7}$/.test(prefix)) {
    throw new InvalidInputError(
      `An id prefix is 1 to 8 lowercase letters or digits, starting with a letter; got "${prefix}".`,
    );
  }
  return prefix;
}

/** Creates .sdd/ in `root`; leaves an existing project as it is. Returns whether it created one. */
export async function initProject(
  root: string,
  idPrefix: string,
): Promise<{ project: Project; created: boolean }> {
  if (existsSync(configPath(root))) return { project: await openProject(root), created: false };
  const config: ProjectConfig = {
    projectId: randomUUID(),
    idPrefix: checkIdPrefix(idPrefix),
    server: null,
    agent: null,
  };
  await mkdir(join(root, SDD_DIR, 'context'), { recursive: true });
  await ensurePrivateFolder(join(root, SDD_DIR, 'local')); // recordings and prompts go there: 0700
  await writeFile(
    join(root, SDD_DIR, '.gitignore'),
    '# the embedded database, session spool and caches stay on this machine\nlocal/\n',
  );
  await writeFile(configPath(root), `${JSON.stringify(config, null, 2)}\n`, { flag: 'wx' });
  return { project: { root, config }, created: true };
}
