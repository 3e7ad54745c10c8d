// Where the GitHub mirror's settings come from in a process's environment: the token
// (GITHUB_TOKEN, then GH_TOKEN, as gh and Actions name it), GitHub Enterprise Server's API URL, the
// webhook secret, and the pace of writes (tests and benches run against a local stand-in).

import { InvalidInputError } from '../core/errors.js';
import type { GithubServerOptions } from '../server/github-mirrors.js';

export function githubToken(env: NodeJS.ProcessEnv): { token: string; from: string } | null {
  for (const name of ['GITHUB_TOKEN', 'GH_TOKEN']) {
    const value = env[name]?.trim();
    if (value) return { token: value, from: name };
  }
  return null;
}

function milliseconds(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name]?.trim();
  if (!text) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new InvalidInputError(`${name} must be a number of milliseconds; got "${text}".`);
  return value;
}

export function githubPace(env: NodeJS.ProcessEnv): { writeIntervalMs?: number; retryBaseMs?: number } {
  const writeIntervalMs = milliseconds(env, 'SDD_GITHUB_WRITE_INTERVAL_MS');
  const retryBaseMs = milliseconds(env, 'SDD_GITHUB_RETRY_BASE_MS');
  return {
    ...(writeIntervalMs !== undefined && { writeIntervalMs }),
    ...(retryBaseMs !== undefined && { retryBaseMs }),
  };
}

export function githubServerOptions(env: NodeJS.ProcessEnv): GithubServerOptions {
  const debounceMs = milliseconds(env, 'SDD_GITHUB_DEBOUNCE_MS');
  return {
    token: githubToken(env)?.token ?? null,
    apiUrl: env.GITHUB_API_URL?.trim() || null,
    webhookSecret: env.SDD_GITHUB_WEBHOOK_SECRET?.trim() || null,
    ...(debounceMs !== undefined && { debounceMs }),
    ...githubPace(env),
  };
}
