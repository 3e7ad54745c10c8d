// Finds, verbatim, the values of the secret-named variables of the environment the agent started
// with, and holds back a stream tail that is the beginning of one of them.

import { isSecretName } from './secret-names.js';
import type { Detector, Hit, Hold } from './types.js';

/** Shorter values would match ordinary words and numbers. */
export const MIN_ENV_SECRET_LENGTH = 8;

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

  constructor(env: Record<string, string | undefined>) {
    this.#secrets = envSecrets(env);
  }

  get empty(): boolean {
    return this.#secrets.length === 0;
  }

  find(window: string, from: number): Hit[] {
    const hits: Hit[] = [];
    for (const { kind, value } of this.#secrets) {
      for (let at = window.indexOf(value, from); at !== -1; at = window.indexOf(value, at + value.length)) {
        hits.push({ start: at, end: at + value.length, kind });
      }
    }
    return hits;
  }

  hold(window: string, from: number): Hold | null {
    let best: Hold | null = null;
    for (const { kind, value } of this.#secrets) {
      const first = value.charAt(0);
      const limit = best === null ? window.length : best.start;
      for (let at = Math.max(from, window.length - value.length + 1); at < limit; at++) {
        if (window.charAt(at) === first && value.startsWith(window.slice(at))) {
          best = { start: at, kind };
          break;
        }
      }
    }
    return best;
  }
}
