// Reads a GitHub Copilot CLI session log (~/.copilot/session-state/<id>/events.jsonl) into the normal form: one
// event per line, {type, id, timestamp, parentId, data}, the same vocabulary as the Copilot SDK's session events.

import type { Transcript, TranscriptEntry } from '../agent-adapter.js';
import {
  isObject,
  isoTime,
  type JsonObject,
  metaEntry,
  type NumberedLine,
  numberedLines,
  parseJsonObject,
  parseJsonText,
  stringField,
  summarizeToolCall,
  unknownEntry,
} from '../transcript-lines.js';

/** Bookkeeping events with nothing for the conversation. Known, so not 'unknown'. */
const SILENT_TYPES = new Set([
  'assistant.turn_start',
  'assistant.turn_end',
  'assistant.intent',
  'assistant.usage',
  'assistant.idle',
  'session.idle',
  'session.shutdown',
  'session.usage_checkpoint',
  'session.usage_info',
  'session.title_changed',
  'session.mode_changed',
  'session.plan_changed',
  'session.todos_changed',
  'session.workspace_file_changed',
  'session.context_changed',
  'session.tools_updated',
  'session.mcp_servers_loaded',
  'session.mcp_server_status_changed',
  'session.skills_loaded',
  'session.auto_mode_resolved',
  'session.compaction_start',
  'session.task_complete',
  'tool.execution_partial_result',
  'tool.execution_progress',
  'permission.requested',
  'permission.completed',
  // The system prompt the harness sent: long, the same in every session, not said by anyone in it.
  'system.message',
]);

interface Context {
  line: NumberedLine;
  file: string;
  time: string | null;
}

export function parseCopilotTranscript(text: string, file: string): Transcript {
  const entries: TranscriptEntry[] = [];
  let conversationId: string | null = null;
  let model: string | null = null;
  // Calls already taken from an assistant message's toolRequests, so tool.execution_start does not repeat them.
  const requestedCalls = new Set<string>();

  for (const line of numberedLines(text)) {
    const record = parseJsonObject(line.text);
    const type = record ? stringField(record, 'type') : null;
    const data = record && isObject(record.data) ? record.data : null;
    if (!record || !type) {
      entries.push(unknownEntry(line, file));
      continue;
    }
    const context: Context = { line, file, time: isoTime(record.timestamp) };
    if (type === 'result') {
      // The headless run's summary line, when a log was captured from --output-format json.
      conversationId ??= stringField(record, 'sessionId');
      continue;
    }
    if (!data) {
      entries.push(unknownEntry(line, file, context.time));
      continue;
    }
    switch (type) {
      case 'session.start':
        conversationId ??= stringField(data, 'sessionId');
        model = stringField(data, 'selectedModel') ?? model;
        break;
      case 'session.resume':
        entries.push(entry('system', 'Session resumed', context, null));
        break;
      case 'session.model_change':
        model = stringField(data, 'newModel') ?? model;
        break;
      case 'user.message':
        entries.push(entry('user', stringField(data, 'content') ?? '', context, null));
        break;
      case 'assistant.message': {
        model = stringField(data, 'model') ?? model;
        const content = stringField(data, 'content') ?? '';
        // A message that only carries tool requests has empty content: no assistant entry for it.
        if (content.trim() !== '') entries.push(entry('assistant', content.trim(), context, model));
        for (const request of Array.isArray(data.toolRequests) ? data.toolRequests : []) {
          if (!isObject(request)) continue;
          const call = toolCall(request, 'name', context, model);
          if (call.tool?.callId) requestedCalls.add(call.tool.callId);
          entries.push(call);
        }
        break;
      }
      case 'tool.execution_start': {
        const callId = stringField(data, 'toolCallId');
        if (callId === null || !requestedCalls.has(callId))
          entries.push(toolCall(data, 'toolName', context, model));
        break;
      }
      case 'tool.execution_complete':
        model = stringField(data, 'model') ?? model;
        entries.push(toolResult(data, context));
        break;
      case 'session.error':
      case 'session.warning':
      case 'session.info': {
        const message = stringField(data, 'message');
        const label = type === 'session.error' ? 'Error: ' : type === 'session.warning' ? 'Warning: ' : '';
        entries.push(
          message === null
            ? unknownEntry(line, file, context.time)
            : entry('system', `${label}${message}`, context, null),
        );
        break;
      }
      case 'assistant.reasoning': {
        const content = stringField(data, 'content') ?? '';
        if (content.trim() !== '') entries.push(entry('thinking', content.trim(), context, model));
        break;
      }
      case 'hook.start':
      case 'hook.end':
      case 'hook.progress': {
        const hook = stringField(data, 'hookType') ?? stringField(data, 'hookName') ?? '';
        entries.push(metaEntry(`${type} ${hook}`.trim(), { file, line: line.number }, context.time, type));
        break;
      }
      case 'session.compaction_complete':
      case 'session.truncation':
        entries.push(entry('system', 'Conversation compacted', context, null));
        break;
      case 'abort':
        entries.push(entry('system', `Aborted${reason(data)}`, context, null));
        break;
      default:
        if (!SILENT_TYPES.has(type)) entries.push(unknownEntry(line, file, context.time));
    }
  }
  return { agent: 'copilot', conversationId, entries };
}

function toolCall(
  data: JsonObject,
  nameKey: string,
  context: Context,
  model: string | null,
): TranscriptEntry {
  const name = stringField(data, nameKey) ?? 'unknown';
  // Some versions log the arguments as JSON text, others as an object.
  const input = typeof data.arguments === 'string' ? parseJsonText(data.arguments) : (data.arguments ?? null);
  return {
    ...entry('tool_call', summarizeToolCall(name, input), context, model),
    tool: { name, callId: stringField(data, 'toolCallId'), input },
  };
}

function toolResult(data: JsonObject, context: Context): TranscriptEntry {
  const result = isObject(data.result) ? data.result : null;
  const error = isObject(data.error) ? data.error : null;
  const text =
    (result && (stringField(result, 'content') ?? stringField(result, 'detailedContent'))) ??
    (error && stringField(error, 'message')) ??
    '';
  return {
    ...entry('tool_result', text, context, null),
    result: { callId: stringField(data, 'toolCallId'), isError: data.success === false || error !== null },
  };
}

function reason(data: JsonObject): string {
  const why = stringField(data, 'reason');
  return why ? `: ${why}` : '';
}

function entry(
  kind: TranscriptEntry['kind'],
  text: string,
  context: Context,
  model: string | null,
): TranscriptEntry {
  return { kind, time: context.time, model, text, source: { file: context.file, line: context.line.number } };
}
