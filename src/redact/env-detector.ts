// Finds, verbatim, the values of the secret-named variables of the environment the agent started
// with, and holds back a stream tail that is the beginning of one of them.

import { isSecretName } from './secret-names.js';
import { addHold, type Detector, type Findings } from './types.js';

/** Shorter values would match ordinary words and numbers. */
export const MIN_ENV_SECRET_LENGTH = 8;
/**
 * A longer value is still found whole in a window, but a stream tail is held back for at most this
 * many of its first characters, so the held tail stays within MAX_HELD_CHARS.
 */
export const MAX_ENV_HOLD = 4096;

interface EnvSecret {
  kind: string;
  value: string;
}

export function envSecrets(env: Record<string, string | undefined>): EnvSecret[] {
  const byValue = new Map<string, EnvSecret>();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value.length < MIN_ENV_SECRET_LENGTH || !isSecretName(name)) continue;
    if (!byValue.has(value)) byValue.set(value, { kind: `env:${name}`, value });
  }
  // Longest first, so that of two values starting at one place the whole of the longer goes.
  return [...byValue.values()].sort((a, b) => b.value.length - a.value.length);
}

export class EnvDetector implements Detector {
  readonly #secrets: EnvSecret[];
  readonly #rank: number;

  constructor(env: Record<string, string | undefined>, rank: number) {
    this.#secrets = envSecrets(env);
    this.#rank = rank;
  }

  get empty(): boolean {
    return this.#secrets.length === 0;
  }

  readonly keywords: readonly string[] = [];

  examine(): void {}

  scan(window: string, from: number, final: boolean, found: Findings): void {
    for (const { kind, value } of this.#secrets) {
      for (let at = window.indexOf(value, from); at !== -1; at = window.indexOf(value, at + value.length)) {
        found.hits.push({ start: at, end: at + value.length, kind, rank: this.#rank });
      }
      if (!final) this.#hold(window, from, kind, value, found);
    }
  }

  /** The earliest place in the last characters where the window ends with the beginning of `value`. */
  #hold(window: string, from: number, kind: string, value: string, found: Findings): void {
    const first = value.charCodeAt(0);
    const reach = Math.min(value.length - 1, MAX_ENV_HOLD);
    const limit = found.hold === null ? window.length : found.hold.start;
    for (let at = Math.max(from, window.length - reach); at < limit; at++) {
      if (window.charCodeAt(at) === first && value.startsWith(window.slice(at))) {
        addHold(found, { start: at, kind });
        return;
      }
    }
  }
}
