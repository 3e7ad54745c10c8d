// Prints a normal-form transcript for a person: the conversation by default, the model's thinking and the
// harness's meta lines when asked for, a sub-agent's entries labelled, and nothing a terminal would obey.

import { terminalSafe } from '../core/terminal-text.js';
import type { Transcript, TranscriptEntry } from '../core/transcript.js';

export interface TranscriptView {
  /** Show thinking entries. */
  thinking?: boolean;
  /** Show meta entries (and thinking): everything the log holds. */
  all?: boolean;
}

const SUB_AGENT_INDENT = '    ';

export function formatTranscript(transcript: Transcript, view: TranscriptView = {}): string {
  const shown = transcript.entries.filter((entry) => isShown(entry, view));
  const blocks = shown.map((entry) => terminalSafe(formatEntry(entry)));
  const hidden = hiddenNote(transcript.entries, view);
  return [...blocks, ...(hidden ? [hidden] : [])].join('\n\n');
}

function isShown(entry: TranscriptEntry, view: TranscriptView): boolean {
  if (entry.kind === 'meta') return view.all === true;
  if (entry.kind === 'thinking') return view.all === true || view.thinking === true;
  return true;
}

/** One entry as a block of text; a sub-agent's entries labelled and indented under the main conversation. */
export function formatEntry(entry: TranscriptEntry): string {
  const text = entryText(entry);
  if (!entry.sidechain) return text;
  const agent = entry.sidechain.agentId ? ` ${entry.sidechain.agentId}` : '';
  return `[sub-agent${agent}] ${text}`.replace(/^/gm, SUB_AGENT_INDENT);
}

function entryText(entry: TranscriptEntry): string {
  const time = entry.time ? `${entry.time.slice(11, 19)} ` : '';
  switch (entry.kind) {
    case 'user':
      return `${time}> ${entry.text}`;
    case 'assistant':
      return `${time}${entry.model ? `[${entry.model}] ` : ''}${entry.text}`;
    case 'thinking':
      return `${time}∴ thinking: ${entry.text}`;
    case 'tool_call':
      return `${time}→ ${entry.tool?.name ?? 'tool'} ${JSON.stringify(entry.tool?.input ?? {})}`;
    case 'tool_result':
      return `${time}← ${entry.result?.isError ? 'error: ' : ''}${entry.text}`;
    case 'system':
      return `${time}· ${entry.text}`;
    case 'meta':
      return `${time}◦ ${entry.text}`;
    default:
      // The raw line is in --json; printed, a record sdd cannot read is one line that says which.
      return entry.recordType
        ? `${time}? [unknown record: ${entry.recordType}]`
        : `${time}? [unreadable line ${entry.source.line} of ${entry.source.file}]`;
  }
}

function hiddenNote(entries: TranscriptEntry[], view: TranscriptView): string | null {
  const count = (kind: TranscriptEntry['kind']) => entries.filter((entry) => entry.kind === kind).length;
  const parts: string[] = [];
  const thinking = count('thinking');
  const meta = count('meta');
  if (thinking > 0 && !view.thinking && !view.all) parts.push(`${thinking} thinking (--thinking)`);
  if (meta > 0 && !view.all) parts.push(`${meta} meta (--all)`);
  return parts.length === 0 ? null : `(hidden: ${parts.join(', ')})`;
}
