// Where the team context of a prompt comes from: with a team server, the server's current versions
// (the local files are brought in step first, so one teammate's edit is in everyone's next session
// and a local edit not yet pushed is pushed); without one, the files in .sdd/context/.

import type { ContextLog } from '../core/context-log.js';
import { UnauthenticatedError } from '../core/errors.js';
import { readContextFiles } from '../specs/context-files.js';
import { type ContextDocument, withInclusion } from '../specs/team-context.js';
import { resolveActor } from './actor.js';
import { readSyncState, type SyncEntry, syncContext, textHash } from './context-sync.js';
import type { Project } from './project.js';

export interface LoadContextOptions {
  /** Who a pushed local edit is saved as (default: $SDD_ACTOR, else git's user.name). */
  actor?: string;
  /** Where a conflict or an unreachable server is reported; a session still starts. */
  warn?: (line: string) => void;
}

/** The server's context of a linked project, or null for an embedded one. */
export async function serverContextLog(project: Project): Promise<ContextLog | null> {
  const { server, projectId } = project.config;
  if (!server) return null;
  const { tokenFor } = await import('./credentials.js');
  const token = await tokenFor(server);
  if (!token) {
    throw new UnauthenticatedError(
      `This project's team context is on ${server}, and no token for it is kept here: run \`sdd login ${server}\` (or set SDD_TOKEN).`,
    );
  }
  const { RemoteContextLog } = await import('../client/remote-context-log.js');
  return new RemoteContextLog({ url: server, projectId, token });
}

export async function loadTeamContext(
  project: Project,
  options: LoadContextOptions = {},
): Promise<ContextDocument[]> {
  const warn = options.warn ?? (() => undefined);
  if (project.config.server) {
    try {
      const log = await serverContextLog(project);
      if (log) {
        const actor = options.actor ?? resolveActor(undefined, project.root);
        reportSync(await syncContext(project, log, actor), warn);
      }
    } catch (error) {
      warn(
        `sdd: the team context could not be brought up to date (${(error as Error).message}); the prompt uses the files in .sdd/context/.`,
      );
    }
  }
  return annotated(project, await readContextFiles(project.root));
}

/** Each file with the server version it is in step with, when it is. */
async function annotated(project: Project, docs: ContextDocument[]): Promise<ContextDocument[]> {
  if (!project.config.server) return docs.map(withInclusion);
  const state = await readSyncState(project);
  return docs.map((doc) => {
    const synced = state[doc.name];
    const inStep = synced && synced.hash === textHash(doc.text);
    if (!inStep) return withInclusion(doc);
    return withInclusion({
      ...doc,
      version: synced.version,
      ...(synced.author && { author: synced.author }),
    });
  });
}

function reportSync(entries: SyncEntry[], warn: (line: string) => void): void {
  for (const entry of entries) {
    if (entry.action === 'conflict')
      warn(`sdd: context ${entry.name}: ${entry.note} This session uses your file.`);
    if (entry.action === 'pushed')
      warn(`sdd: context ${entry.name}: your edit is on the server as version ${entry.version}.`);
    if (entry.action === 'pulled') {
      warn(`sdd: context ${entry.name}: version ${entry.version} by ${entry.author} from the server.`);
    }
  }
}
