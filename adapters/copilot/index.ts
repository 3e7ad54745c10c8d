// GitHub Copilot CLI: sdd picks the session id up front (--session-id starts a new session with that UUID, since
// Copilot CLI 1.0.51), so the transcript is exactly <config dir>/session-state/<id>/events.jsonl, never a guess.

import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AgentAdapter } from './agent-adapter.js';

/** Where Copilot CLI keeps its state: $COPILOT_HOME, else ~/.copilot. */
export function copilotHome(env: NodeJS.ProcessEnv): string {
  return env.COPILOT_HOME || join(env.HOME || homedir(), '.copilot');
}

/** The session's event log: a folder per session today, a bare <id>.jsonl in early versions. */
export function copilotTranscriptCandidates(sessionId: string, env: NodeJS.ProcessEnv): string[] {
  const state = join(copilotHome(env), 'session-state');
  return [join(state, sessionId, 'events.jsonl'), join(state, `${sessionId}.jsonl`)];
}

export const copilotAdapter: AgentAdapter = {
  name: 'copilot',
  title: 'GitHub Copilot CLI',
  binary: 'copilot',
  versionArgs: ['--version'],
  transcriptFormat: 'copilot',
  launch(request) {
    const conversationId = randomUUID();
    // -p runs one prompt and exits; it cannot ask for permission, so it is allowed the tools up front.
    // -i starts the conversation with the prompt and stays, asking as usual.
    const prompt = request.headless ? ['-p', request.prompt, '--allow-all-tools'] : ['-i', request.prompt];
    return {
      command: ['copilot', `--session-id=${conversationId}`, ...request.extraArgs, ...prompt],
      conversationId,
    };
  },
  async findTranscript(query) {
    if (!query.conversationId) return null;
    const path = copilotTranscriptCandidates(query.conversationId, query.env).find((p) => existsSync(p));
    return path ? { path, fromOffset: 0 } : null;
  },
};
