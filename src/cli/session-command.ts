// A session's command as a person reads and types it: the sdd command that started it, and the
// program's command line with the long words sdd added for an agent (hooks, the prompt) as placeholders,
// each word quoted the way a POSIX shell takes it back.

import type { SessionRecord } from '../core/session.js';

const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word as a shell reads it back: bare when safe, else in single quotes (double when it holds one). */
export function shellQuote(word: string): string {
  if (PLAIN_WORD.test(word)) return word;
  if (!word.includes("'")) return `'${word}'`;
  if (!/[$`"\\!]/.test(word)) return `"${word}"`;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function shellLine(words: string[]): string {
  return words.map(shellQuote).join(' ');
}

function isJson(word: string): boolean {
  if (!/^\s*[[{]/.test(word)) return false;
  try {
    JSON.parse(word);
    return true;
  } catch {
    return false;
  }
}

/**
 * The program's command line, short: for an agent, a JSON blob becomes <settings> (or <json>) and
 * the prompt (any long or multi-line word) <prompt>; a plain command is shown whole.
 */
export function shortCommand(record: Pick<SessionRecord, 'agent' | 'command'>): string {
  if (record.agent === 'generic' || record.agent === 'shell') return shellLine(record.command);
  const words = record.command.map((word, i) => {
    if (isJson(word)) return record.command[i - 1] === '--settings' ? '<settings>' : '<json>';
    if (isPromptWord(word)) return '<prompt>';
    return shellQuote(word);
  });
  // A prompt given as many words after `--` (`opencode run -- word word...`) is one <prompt>, not its words.
  const end = record.command.lastIndexOf('--');
  if (end >= 0 && record.command.slice(end + 1).some(isPromptWord))
    words.splice(end + 1, Infinity, '<prompt>');
  return words.join(' ');
}

function isPromptWord(word: string): boolean {
  return word.includes('\n') || word.length > 80;
}

/** The sdd command that starts a session like this one again, as far as the record tells it. */
export function startedWith(
  record: Pick<
    SessionRecord,
    'agent' | 'command' | 'itemId' | 'itemRef' | 'worktree' | 'forkedFrom' | 'launch' | 'phase'
  >,
): string {
  const task = record.itemRef ?? record.itemId;
  const words: string[] = [];
  // A phase of the spec workflow on an epic (`sdd plan 001-photo-albums -- ...`); one registered
  // with --here launched nothing.
  if (record.phase && record.command.length === 0) return shellLine(['sdd', record.phase, task, '--here']);
  if (record.phase) words.push('sdd', record.phase, task);
  else if (record.forkedFrom) {
    const { sessionId, checkpoint, commit } = record.forkedFrom;
    words.push('sdd', 'fork', `${sessionId}@${checkpoint ?? commit.slice(0, 10)}`);
  } else words.push('sdd', record.agent === 'shell' ? 'shell' : 'run', task);
  if (record.worktree) words.push('--worktree');
  const [program, flag, line, ...rest] = record.command;
  if (record.agent === 'shell') {
    if (record.forkedFrom) words.push('--agent', 'shell');
    else if (record.phase) words.push('--shell');
  } else if (record.agent !== 'generic') {
    words.push('--agent', record.agent);
    if (record.launch?.headless) words.push('--headless');
    if (record.launch?.agentArgs.length) words.push('--', ...record.launch.agentArgs);
  } else if (program === '/bin/sh' && flag === '-c' && line !== undefined && rest.length === 0)
    words.push('--cmd', line);
  else words.push('--', ...record.command);
  return shellLine(words);
}
