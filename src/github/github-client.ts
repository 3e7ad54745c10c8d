// An Octokit for the mirror: the throttling plugin paces writes (GitHub asks for about a second
// between content-creating requests) and waits out primary and secondary rate limits; the retry
// plugin retries 5xx answers. The token lives only in this object: never logged, never stored.

import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
// The throttling plugin's own scheduler (its dependency), for a write group with our own pace.
import Bottleneck from 'bottleneck';

import { GITHUB_API_URL } from './repo-name.js';

// Typed as the plain Octokit: the plugins add options, not methods the mirror calls.
const MirrorOctokit: typeof Octokit = Octokit.plugin(throttling, retry);
export type GithubClient = Octokit;

export interface GithubClientOptions {
  token: string;
  /** GitHub Enterprise Server: https://HOST/api/v3. */
  apiUrl?: string | null;
  /**
   * Least time between two writes; GitHub's guidance is a second. Requests that notify people
   * (a new issue, a comment) are spaced three times that, as the throttling plugin does by default.
   */
  writeIntervalMs?: number;
  /** Scale of the retry plugin's back-off (1000: 1 s, 4 s, 9 s). */
  retryBaseMs?: number;
  /** Waits for rate limits, said once each. */
  log?: (line: string) => void;
  /** Each request as it is sent (counts for the summary and the bench). */
  onRequest?: (method: string, url: string) => void;
  /** Each answer's `date` header: GitHub's clock. */
  onResponseDate?: (date: string) => void;
}

/** How often one request is retried after a rate limit before the sync gives up. */
const RATE_LIMIT_RETRIES = 8;

export function githubClient(options: GithubClientOptions): GithubClient {
  const log = options.log ?? (() => undefined);
  const writeInterval = options.writeIntervalMs ?? 1000;
  const octokit = new MirrorOctokit({
    auth: options.token,
    baseUrl: (options.apiUrl ?? GITHUB_API_URL).replace(/\/+$/, ''),
    userAgent: 'sdd-github-mirror',
    log: { debug: () => undefined, info: () => undefined, warn: log, error: log },
    throttle: {
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: writeInterval }),
      notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 3 * writeInterval }),
      onRateLimit: (
        retryAfter: number,
        request: { method: string; url: string },
        _o: unknown,
        retryCount: number,
      ) => {
        log(
          `GitHub's rate limit is used up: waiting ${retryAfter}s before ${request.method} ${request.url}.`,
        );
        return retryCount < RATE_LIMIT_RETRIES;
      },
      onSecondaryRateLimit: (
        retryAfter: number,
        request: { method: string; url: string },
        _o: unknown,
        retryCount: number,
      ) => {
        log(`GitHub's secondary rate limit: waiting ${retryAfter}s before ${request.method} ${request.url}.`);
        return retryCount < RATE_LIMIT_RETRIES;
      },
    },
    retry: { retryAfterBaseValue: options.retryBaseMs ?? 1000 },
  });
  octokit.hook.before('request', (request) => {
    options.onRequest?.(request.method, request.url);
  });
  octokit.hook.after('request', (response) => {
    const date = response.headers.date;
    if (date) options.onResponseDate?.(date);
  });
  return octokit;
}
