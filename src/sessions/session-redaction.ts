// Everything a session writes passes the redactor first: the terminal output and input as streams
// (a token split across two reads is still caught), the agent's transcript line by line, and the text
// of events. What was redacted is counted by kind for the session record.

import {
  type RedactCounts,
  type RedactOptions,
  redactJsonLine,
  redactText,
  StreamRedactor,
} from '../redact/index.js';
import { addCounts } from '../redact/redact-text.js';

export class SessionRedaction {
  private readonly counts: RedactCounts = {};
  private readonly streams = new Map<string, StreamRedactor>();
  /** What every redactor of this session is made with (the clean-run scan needs the same). */
  readonly options: RedactOptions;

  /** The environment the agent was started with: its secret-named variables' values are secrets too. */
  constructor(env: NodeJS.ProcessEnv) {
    this.options = { secretsFromEnv: env };
  }

  /**
   * Text of one terminal stream in, whole characters only (src/sessions/stream-runs.ts cuts the bytes),
   * redacted text out (possibly held back until it is safe).
   */
  streamText(name: 'output' | 'input', text: string): string {
    return this.streamOf(name).push(text);
  }

  /** Whether the stream's next clean text may go around its redactor (see StreamRedactor.maySkip). */
  maySkip(name: 'output' | 'input'): boolean {
    return this.streams.get(name)?.maySkip ?? true;
  }

  /** Text of the stream that went out around the redactor, clean (src/redact/clean-runs.ts): its end. */
  passed(name: 'output' | 'input', tail: string): void {
    this.streamOf(name).passed(tail);
  }

  private streamOf(name: 'output' | 'input'): StreamRedactor {
    let redactor = this.streams.get(name);
    if (!redactor) {
      redactor = new StreamRedactor(this.options);
      this.streams.set(name, redactor);
    }
    return redactor;
  }

  /**
   * What a stream holds back now, emitted without ending it: the pipeline calls this when the stream
   * has been idle for about a second, so a tail that merely looked like the start of a secret (a `ghp_`
   * at the end of a prompt) is not kept from the recording for as long as the agent stays quiet.
   */
  flushStream(name: 'output' | 'input'): string {
    return this.streams.get(name)?.flush() ?? '';
  }

  /** What a stream still holds back, at its end. */
  endStream(name: 'output' | 'input'): string {
    const redactor = this.streams.get(name);
    if (!redactor) return '';
    const rest = redactor.end();
    addCounts(this.counts, redactor.counts());
    this.streams.delete(name);
    return rest;
  }

  text(value: string): string {
    const result = redactText(value, this.options);
    addCounts(this.counts, result.counts);
    return result.text;
  }

  /** Whole lines of a transcript: JSON lines keep valid JSON, other text (Aider's Markdown) as text. */
  lines(chunk: string): string {
    return chunk
      .split('\n')
      .map((line) => {
        const trimmed = line.trimStart();
        if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return this.text(line);
        const result = redactJsonLine(line, this.options);
        addCounts(this.counts, result.counts);
        return result.line;
      })
      .join('\n');
  }

  /** Counts by kind so far (streams are counted once they end). */
  totals(): RedactCounts {
    const totals: RedactCounts = { ...this.counts };
    for (const redactor of this.streams.values()) addCounts(totals, redactor.counts());
    return totals;
  }
}
