// Where GitHub Copilot CLI keeps a session's event log: <config dir>/session-state/<id>/events.jsonl (a bare
// <id>.jsonl in early versions). sdd chooses the id, so this is exact, never a guess.

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { TranscriptQuery, TranscriptSource } from '../agent-adapter.js';

/** Where Copilot CLI keeps its state: $COPILOT_HOME, else ~/.copilot. */
export function copilotHome(env: NodeJS.ProcessEnv): string {
  return env.COPILOT_HOME || join(env.HOME || homedir(), '.copilot');
}

/** The session's event log: a folder per session today, a bare <id>.jsonl in early versions. */
export function copilotTranscriptCandidates(sessionId: string, env: NodeJS.ProcessEnv): string[] {
  const state = join(copilotHome(env), 'session-state');
  return [join(state, sessionId, 'events.jsonl'), join(state, `${sessionId}.jsonl`)];
}

export async function findCopilotTranscript(query: TranscriptQuery): Promise<TranscriptSource | null> {
  if (!query.conversationId) return null;
  const path = copilotTranscriptCandidates(query.conversationId, query.env).find((p) => existsSync(p));
  return path ? { path, fromOffset: 0 } : null;
}
