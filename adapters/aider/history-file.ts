// Where Aider appends its chat history, found the way Aider finds it: --chat-history-file, then
// $AIDER_CHAT_HISTORY_FILE, then .aider.conf.yml, else .aider.chat.history.md in the git root.

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { TranscriptQuery } from '../agent-adapter.js';

const HISTORY_FILE_FLAG = '--chat-history-file';
/** Aider reads every option from AIDER_<OPTION> too (configargparse); sdd uses it to learn the file. */
const HISTORY_FILE_ENV = 'AIDER_CHAT_HISTORY_FILE';

function flagValue(args: string[]): string | null {
  const index = args.indexOf(HISTORY_FILE_FLAG);
  if (index >= 0) return args[index + 1] ?? null;
  const joined = args.find((arg) => arg.startsWith(`${HISTORY_FILE_FLAG}=`));
  return joined ? joined.slice(HISTORY_FILE_FLAG.length + 1) : null;
}

/**
 * Where Aider will append, in Aider's own order: --chat-history-file, then $AIDER_CHAT_HISTORY_FILE, then
 * chat-history-file in .aider.conf.yml (the working folder's over the git root's over the home folder's),
 * else .aider.chat.history.md in the git root (or the working folder outside git).
 */
export async function historyFile(query: TranscriptQuery): Promise<string> {
  const named = flagValue(query.extraArgs) ?? query.env[HISTORY_FILE_ENV];
  if (named) return isAbsolute(named) ? named : resolve(query.cwd, named);
  const root = await promisify(execFile)('git', ['rev-parse', '--show-toplevel'], { cwd: query.cwd }).then(
    ({ stdout }) => stdout.trim() || query.cwd,
    () => query.cwd,
  );
  for (const dir of [query.cwd, root, query.env.HOME || homedir()]) {
    const configured = await configuredHistoryFile(join(dir, '.aider.conf.yml'));
    if (configured) return isAbsolute(configured) ? configured : resolve(query.cwd, configured);
  }
  return join(root, '.aider.chat.history.md');
}

/** The chat-history-file key of an .aider.conf.yml (a flat YAML file of option: value lines). */
async function configuredHistoryFile(path: string): Promise<string | null> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const match = /^chat-history-file:\s*(.+?)\s*$/m.exec(text);
  return match ? match[1]!.replace(/^(['"])(.*)\1$/, '$2') : null;
}
