// Where Claude Code writes a conversation: <config dir>/projects/<cwd with every non-alphanumeric
// character as '-'>/<id>.jsonl. sdd chooses the id, so this is exact, never a guess.

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import type { TranscriptQuery, TranscriptSource } from '../agent-adapter.js';

export function claudeProjectDir(cwd: string, env: NodeJS.ProcessEnv): string {
  const configDir = env.CLAUDE_CONFIG_DIR || join(homedir(), '.claude');
  return join(configDir, 'projects', cwd.replace(/[^a-zA-Z0-9]/g, '-'));
}

export async function findClaudeTranscript(query: TranscriptQuery): Promise<TranscriptSource | null> {
  if (!query.conversationId) return null;
  const path = join(claudeProjectDir(query.cwd, query.env), `${query.conversationId}.jsonl`);
  return existsSync(path) ? { path, fromOffset: 0 } : null;
}

/**
 * A path the SessionStart hook reported is this session's only when it names the id sdd chose: with
 * --resume --fork-session, Claude Code 2.1 reports the parent's id and file, not the fork's.
 */
export function isThisConversation(path: string, query: TranscriptQuery): boolean {
  return !query.conversationId || basename(path) === `${query.conversationId}.jsonl`;
}
