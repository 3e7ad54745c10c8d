// Turns one Codex ResponseItem (what the model saw or said: message, function call, its output, shell
// call, custom tool call, web search) into normal-form entries; shared by the enveloped and old rollouts.

import type { TranscriptEntry } from '../agent-adapter.js';
import {
  isObject,
  type JsonObject,
  parseJsonText,
  stringField,
  summarizeToolCall,
} from '../transcript-lines.js';

export interface ItemContext {
  file: string;
  line: number;
  time: string | null;
  model: string | null;
  /**
   * The user's words as the rollout's event_msg user_message records hold them, when it has any: then those
   * are the user's turns, and a user-role response item is either their copy or context Codex injected.
   */
  userTurns: Set<string> | null;
}

/** Text Codex itself puts in user-role messages (environment, AGENTS.md): the harness speaking, not the user. */
const INJECTED_USER_TEXT = [
  '<environment_context>',
  '<user_instructions>',
  '# AGENTS.md instructions',
  '<user_shell_command>',
  '<turn_aborted>',
  '<permissions instructions>',
];

export function isInjectedText(text: string): boolean {
  const start = text.trimStart();
  return INJECTED_USER_TEXT.some((marker) => start.startsWith(marker));
}

/** Entries for a response item; [] for items outside the conversation; null when not understood. */
export function responseItemEntries(item: JsonObject, context: ItemContext): TranscriptEntry[] | null {
  switch (stringField(item, 'type')) {
    case 'message':
      return messageEntries(item, context);
    case 'reasoning':
      return [entry('thinking', reasoningText(item), context, context.model)];
    case 'ghost_snapshot':
      // Codex's own undo point: bookkeeping, not conversation.
      return [
        { ...entry('meta', 'ghost_snapshot', context, null), recordType: 'response_item/ghost_snapshot' },
      ];
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
  if (role === 'assistant') return [entry('assistant', text, context, context.model)];
  if (role !== 'user' || isInjectedText(text)) return [entry('meta', text, context, null)];
  if (context.userTurns === null) return [entry('user', text, context, null)];
  // The user_message event is the user's turn; this item is its copy, or context Codex added as the user.
  const trimmed = text.trim();
  const isCopy = [...context.userTurns].some((turn) => turn !== '' && trimmed.includes(turn));
  return isCopy ? [] : [entry('meta', text, context, null)];
}

/** The reasoning summary Codex keeps in clear (and the raw reasoning when it was logged); encrypted otherwise. */
function reasoningText(item: JsonObject): string {
  const texts = (list: unknown) =>
    Array.isArray(list) ? list.filter(isObject).flatMap((part) => stringField(part, 'text') ?? []) : [];
  const parts = [...texts(item.summary), ...texts(item.content)];
  return parts.length > 0 ? parts.join('\n\n') : '[encrypted reasoning]';
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
