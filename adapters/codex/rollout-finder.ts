// Finds the rollout Codex wrote for this session: $CODEX_HOME/sessions/YYYY/MM/DD/rollout-<local time>-<id>.jsonl,
// told apart from other sessions' by what its first line (session_meta) says of its folder and start.

import { realpathSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { TranscriptQuery } from '../agent-adapter.js';
import { readFirstLine } from '../first-line.js';

/** sdd's clock and Codex's are the same machine's, but sdd stamps the start a moment before the launch. */
const CLOCK_SLACK_MS = 1000;
/** session_meta carries the base instructions: tens of KB, not megabytes. A longer "line" is not one. */
const FIRST_LINE_LIMIT = 4 << 20;
const ROLLOUT_NAME = /^rollout-(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})-.+\.jsonl$/;

export function codexHome(env: NodeJS.ProcessEnv): string {
  return env.CODEX_HOME || join(env.HOME || homedir(), '.codex');
}

/**
 * The rollout whose session_meta names this session's folder and a start at or after the session's.
 * Codex creates it (local date folders, so look at the start's day and the next, for a run across
 * midnight) when sdd launches it, moments after the start. Two Codex started in the same folder are
 * told apart by time: one started before this session is never taken, and of those started since,
 * the earliest is the one sdd launched, because sdd launches its agent as soon as it has stamped the
 * start. Only another Codex started in the same folder in that same moment could be mistaken for it.
 */
export async function thisSessionsRollout(query: TranscriptQuery): Promise<string | null> {
  const earliest = query.startedAt.getTime() - CLOCK_SLACK_MS;
  const folders = sameFolder(query.cwd);
  let best: { path: string; startedAt: number } | null = null;
  for (const dir of dayFolders(codexHome(query.env), earliest)) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const stamped = nameTime(name);
      // The name holds Codex's start to the second (floored): an older name is an older session.
      if (stamped === null || stamped < earliest - 1000) continue;
      const path = join(dir, name);
      const meta = sessionMeta(await readFirstLine(path, FIRST_LINE_LIMIT));
      if (!meta || !folders.has(meta.cwd) || meta.startedAt < earliest) continue;
      if (!best || meta.startedAt < best.startedAt) best = { path, startedAt: meta.startedAt };
    }
  }
  return best?.path ?? null;
}

/** The folder as sdd names it and as the operating system resolves it (Codex records the latter). */
function sameFolder(cwd: string): Set<string> {
  const names = new Set([cwd]);
  try {
    names.add(realpathSync(cwd));
  } catch {
    // a folder that is gone has no other name
  }
  return names;
}

function dayFolders(home: string, from: number): string[] {
  const days = [from, from + CLOCK_SLACK_MS, from + 24 * 3600 * 1000].map((time) => {
    const date = new Date(time);
    const pad = (n: number) => String(n).padStart(2, '0');
    return join(home, 'sessions', String(date.getFullYear()), pad(date.getMonth() + 1), pad(date.getDate()));
  });
  return [...new Set(days)];
}

/** The local time in a rollout's name, as epoch milliseconds; null for other files. */
function nameTime(name: string): number | null {
  const match = ROLLOUT_NAME.exec(name);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as number[];
  return new Date(year!, month! - 1, day, hour, minute, second).getTime();
}

function sessionMeta(line: string | null): { cwd: string; startedAt: number } | null {
  if (line === null) return null;
  try {
    const record = JSON.parse(line) as {
      type?: unknown;
      timestamp?: unknown;
      payload?: Record<string, unknown>;
    };
    if (record.type !== 'session_meta' || typeof record.payload !== 'object' || record.payload === null)
      return null;
    const { cwd, timestamp } = record.payload;
    const startedAt = Date.parse(String(timestamp ?? record.timestamp));
    return typeof cwd === 'string' && !Number.isNaN(startedAt) ? { cwd, startedAt } : null;
  } catch {
    return null;
  }
}
