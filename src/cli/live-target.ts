// Where `sdd run` pushes its terminal live (`sdd watch` from another machine): the project's team
// server, with this user's token; none without a server or a token (the upload says why).

import type { LiveSummary, LiveTarget } from '../sessions/live-publisher.js';
import { tokenFor } from './credentials.js';
import type { Project } from './project.js';

export async function liveTargetOf(project: Project): Promise<Omit<LiveTarget, 'sessionId'> | undefined> {
  const { server, projectId } = project.config;
  if (!server) return undefined;
  const token = await tokenFor(server);
  return token ? { url: server, token, projectId } : undefined;
}

/** The one line a session prints about live watching: only when it never reached the server. */
export function liveNote(summary: LiveSummary | null | undefined, server: string): string | null {
  if (!summary || summary.connected) return null;
  return `sdd: the session could not be watched live (${summary.error ?? 'no connection'} from ${server}); it is recorded and uploaded all the same.`;
}
