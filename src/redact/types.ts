// The shapes shared by the redactor's parts: options, counts, and the detector interface that
// lets the streaming engine treat provider tokens, assignments, key blocks and env values alike.

export interface RedactOptions {
  /** The environment the agent was started with; values of secret-named variables are redacted verbatim. */
  secretsFromEnv?: Record<string, string | undefined>;
}

/** How many secrets were replaced, by kind (`github-token`, `private-key`, `env:MY_TOKEN`...). */
export type RedactCounts = Record<string, number>;

/** A complete secret found in the window: [start, end) is replaced by a marker. */
export interface Hit {
  start: number;
  end: number;
  kind: string;
}

/** Where the window's tail could be the beginning of a secret not yet complete. */
export interface Hold {
  start: number;
  kind: string;
  /** A block (a private key) is redacted from `start` to the end when the stream ends inside it. */
  block?: boolean;
}

export interface Detector {
  /** Complete secrets whose replaced span starts at or after `from` (text before `from` is already out). */
  find(window: string, from: number): Hit[];
  /** The earliest index at or after `from` where an unfinished secret may begin, or null. */
  hold(window: string, from: number): Hold | null;
}
