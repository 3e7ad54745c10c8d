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
  /** Of two hits at one place and of one length, the lower rank names the span. */
  rank: number;
}

/** Where the window's tail could be the beginning of a secret not yet complete. */
export interface Hold {
  start: number;
  kind: string;
  /** A private key body: may be held longer than MAX_HELD_CHARS, up to PRIVATE_KEY_CAP. */
  block?: boolean;
}

/** What the detectors report for one window; the engine keeps only the earliest hold. */
export interface Findings {
  hits: Hit[];
  hold: Hold | null;
}

export interface Detector {
  /**
   * Literals that every secret of this detector starts with (`ghp_`, `-----BEGIN`). The engine finds
   * the keywords of all detectors in one pass over the window and calls `examine` at each.
   */
  readonly keywords: readonly string[];
  /**
   * Looks closer where one of its keywords starts, at or after `from` (text before `from` is already
   * out): adds to `found` a complete secret, or, unless `final`, where an unfinished one begins. With
   * `final` the window is all there is for now: a secret reaching its end is judged on what is there.
   * A full regular expression runs only here, anchored: no scan may backtrack over long runs.
   */
  examine(window: string, at: number, final: boolean, found: Findings): void;
  /** What it checks once per window besides keywords: its own prefilter (indexOf), and a tail that may be a keyword's first characters. */
  scan(window: string, from: number, final: boolean, found: Findings): void;
}

export function addHold(found: Findings, hold: Hold): void {
  if (found.hold === null || hold.start < found.hold.start) found.hold = hold;
}
