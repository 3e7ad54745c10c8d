// Turns one Codex ResponseItem (what the model saw or said: message, function call, its output, shell
// call, custom tool call, web search) into normal-form entries; shared by the enveloped and old rollouts.

import type { TranscriptEntry } from '../core/transcript.js';
import {
  isObject,
  type JsonObject,
  parseJsonText,
  stringField,
  summarizeToolCall,
} from './transcript-lines.js';

export interface ItemContext {
  file: string;
  line: number;
  time: string | null;
  model: string | null;
}

/** Text Codex itself puts in user-role messages (environment, AGENTS.md): the harness speaking, not the user. */
const INJECTED_USER_TEXT = [
  '<environment_context>',
  '<user_instructions>',
  '# AGENTS.md instructions',
  '<user_shell_command>',
  '<turn_aborted>',
];

/** Entries for a response item; [] for items outside the conversation; null when not understood. */
export function responseItemEntries(item: JsonObject, context: ItemContext): TranscriptEntry[] | null {
  switch (stringField(item, 'type')) {
    case 'message':
      return messageEntries(item, context);
    case 'reasoning':
    case 'ghost_snapshot':
      // Reasoning is not part of the recorded conversation; a ghost snapshot is Codex's own undo point.
      return [];
    case 'function_call':
      return toolCall(item, context, stringField(item, 'name'), decodeArguments(item.arguments));
    case 'custom_tool_call':
      return toolCall(item, context, stringField(item, 'name'), item.input);
    case 'local_shell_call':
      return toolCall(item, context, 'local_shell', item.action);
    case 'web_search_call':
      return toolCall(item, context, 'web_search', item.action ?? null, stringField(item, 'id'));
    case 'function_call_output':
    case 'custom_tool_call_output':
      return toolResult(item, context);
    default:
      return null;
  }
}

function messageEntries(item: JsonObject, context: ItemContext): TranscriptEntry[] | null {
  const role = stringField(item, 'role');
  if (!Array.isArray(item.content) || !role) return null;
  const text = item.content
    .map((part) => {
      if (!isObject(part)) return '';
      return stringField(part, 'text') ?? `[${stringField(part, 'type') ?? 'part'}]`;
    })
    .join('\n');
  let kind: TranscriptEntry['kind'];
  if (role === 'assistant') kind = 'assistant';
  else if (role === 'user')
    kind = INJECTED_USER_TEXT.some((marker) => text.startsWith(marker)) ? 'system' : 'user';
  else kind = 'system';
  return [entry(kind, text, context, kind === 'assistant' ? context.model : null)];
}

function toolCall(
  item: JsonObject,
  context: ItemContext,
  name: string | null,
  input: unknown,
  callId: string | null = stringField(item, 'call_id'),
): TranscriptEntry[] | null {
  if (name === null) return null;
  return [
    {
      ...entry('tool_call', summarizeToolCall(name, input), context, context.model),
      tool: { name, callId, input: input ?? null },
    },
  ];
}

/** function_call.arguments is the input serialized as JSON text; the normal form holds the value it encodes. */
function decodeArguments(argumentsText: unknown): unknown {
  return typeof argumentsText === 'string' ? parseJsonText(argumentsText) : argumentsText;
}

function toolResult(item: JsonObject, context: ItemContext): TranscriptEntry[] | null {
  const output = readOutput(item.output);
  if (output === null) return null;
  return [
    {
      ...entry('tool_result', output.text, context, null),
      result: { callId: stringField(item, 'call_id'), isError: output.isError },
    },
  ];
}

/**
 * The output is a string, a list of content items, or (older rollouts) {content, success}. Shell tools
 * return JSON text with metadata.exit_code, which is the only failure signal they leave.
 */
function readOutput(output: unknown): { text: string; isError: boolean } | null {
  if (typeof output === 'string') return { text: output, isError: exitCodeFailed(output) };
  if (Array.isArray(output)) {
    const text = output
      .map((part) => (isObject(part) ? (stringField(part, 'text') ?? '[image]') : ''))
      .join('\n');
    return { text, isError: false };
  }
  if (isObject(output) && typeof output.content === 'string') {
    return { text: output.content, isError: output.success === false || exitCodeFailed(output.content) };
  }
  return null;
}

function exitCodeFailed(text: string): boolean {
  const value = parseJsonText(text);
  if (!isObject(value) || !isObject(value.metadata)) return false;
  const exitCode = value.metadata.exit_code;
  return typeof exitCode === 'number' && exitCode !== 0;
}

function entry(
  kind: TranscriptEntry['kind'],
  text: string,
  context: ItemContext,
  model: string | null,
): TranscriptEntry {
  return { kind, time: context.time, model, text, source: { file: context.file, line: context.line } };
}
