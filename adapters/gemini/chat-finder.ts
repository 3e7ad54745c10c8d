// Finds the chat Gemini CLI wrote for this session in the project's ~/.gemini/tmp/<project>/chats/: the file
// whose first line names the pinned id, or without one, the first chat this project started since the session.

import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { TranscriptQuery, TranscriptSource } from '../agent-adapter.js';
import { readFirstLine } from '../first-line.js';

const CLOCK_SLACK_MS = 1000;
const FIRST_LINE_LIMIT = 1 << 20;
/** session-<UTC time to the minute>-<first 8 characters of the id>.jsonl */
// .jsonl: the upsert log of current versions; .json: the whole conversation, rewritten, of older ones.
const CHAT_NAME = /^session-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-([^.]+)\.jsonl?$/;

/** $GEMINI_CLI_HOME stands in for the home folder, as Gemini CLI's homedir() does. */
export function geminiDir(env: NodeJS.ProcessEnv): string {
  return join(env.GEMINI_CLI_HOME || env.HOME || homedir(), '.gemini');
}

export async function findGeminiChat(query: TranscriptQuery): Promise<TranscriptSource | null> {
  const chat = query.conversationId
    ? await pinnedChat(query, query.conversationId)
    : await firstChatSince(query);
  return chat ? { path: chat, fromOffset: 0, rewritten: chat.endsWith('.json') } : null;
}

/**
 * The project's folders under ~/.gemini/tmp. Gemini CLI names it by the project root (its cwd): a short
 * name kept in ~/.gemini/projects.json in recent versions, the SHA-256 of the path in older ones. Both are looked at,
 * for the path as sdd gives it and as the system resolves it.
 */
async function projectDirs(query: TranscriptQuery): Promise<{ dirs: string[]; hashes: Set<string> }> {
  const roots = new Set([query.cwd]);
  try {
    roots.add(realpathSync(query.cwd));
  } catch {
    // a folder that is gone has no other name
  }
  const base = geminiDir(query.env);
  const registry = await readFile(join(base, 'projects.json'), 'utf8')
    .then((text) => (JSON.parse(text) as { projects?: Record<string, string> }).projects ?? {})
    .catch(() => ({}) as Record<string, string>);
  const hashes = new Set([...roots].map((root) => createHash('sha256').update(root).digest('hex')));
  const names = [...[...roots].map((root) => registry[root]), ...hashes].filter(
    (name) => typeof name === 'string',
  );
  return { dirs: [...new Set(names)].map((name) => join(base, 'tmp', name, 'chats')), hashes };
}

async function pinnedChat(query: TranscriptQuery, id: string): Promise<string | null> {
  for (const dir of (await projectDirs(query)).dirs) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (CHAT_NAME.exec(name)?.[4] !== id.slice(0, 8)) continue;
      const path = join(dir, name);
      if ((await chatHeader(path))?.sessionId === id) return path;
    }
  }
  return null;
}

/**
 * Without a pinned id: the chat of this project that started earliest at or after the session's start.
 * sdd launches Gemini CLI right after stamping the start, so a chat started before is another one, and
 * of those since, the first is sdd's; only a second Gemini CLI started in this project in that same
 * moment could be mistaken for it.
 */
async function firstChatSince(query: TranscriptQuery): Promise<string | null> {
  const earliest = query.startedAt.getTime() - CLOCK_SLACK_MS;
  const { dirs, hashes } = await projectDirs(query);
  let best: { path: string; startedAt: number } | null = null;
  for (const dir of dirs) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const match = CHAT_NAME.exec(name);
      // The name holds the start to the minute (UTC, floored): an older minute is an older chat.
      if (!match || Date.parse(`${match[1]}T${match[2]}:${match[3]}:59.999Z`) < earliest) continue;
      const path = join(dir, name);
      const header = await chatHeader(path);
      if (!header || header.kind === 'subagent' || !(header.startedAt >= earliest)) continue;
      if (header.projectHash !== null && !hashes.has(header.projectHash)) continue;
      if (!best || header.startedAt < best.startedAt) best = { path, startedAt: header.startedAt };
    }
  }
  return best?.path ?? null;
}

interface ChatHeader {
  sessionId: string;
  startedAt: number;
  projectHash: string | null;
  kind: string | null;
}

/** The metadata line that opens a JSONL chat ({sessionId, projectHash, startTime, kind}), once whole. */
async function chatHeader(path: string): Promise<ChatHeader | null> {
  if (path.endsWith('.json')) return legacyChatHeader(path);
  try {
    const line = await readFirstLine(path, FIRST_LINE_LIMIT);
    if (line === null) return null;
    const record = JSON.parse(line) as Record<string, unknown>;
    if (typeof record.sessionId !== 'string') return null;
    return {
      sessionId: record.sessionId,
      startedAt: Date.parse(String(record.startTime)),
      projectHash: typeof record.projectHash === 'string' ? record.projectHash : null,
      kind: typeof record.kind === 'string' ? record.kind : null,
    };
  } catch {
    return null;
  }
}

/** An older chat file is one JSON object ({sessionId, projectHash, startTime, messages}), read whole. */
async function legacyChatHeader(path: string): Promise<ChatHeader | null> {
  try {
    const record = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    if (typeof record.sessionId !== 'string') return null;
    return {
      sessionId: record.sessionId,
      startedAt: Date.parse(String(record.startTime)),
      projectHash: typeof record.projectHash === 'string' ? record.projectHash : null,
      kind: 'main',
    };
  } catch {
    return null; // caught while being rewritten: the next poll reads it whole
  }
}
