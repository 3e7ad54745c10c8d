// A GitHub repository's name (owner/name) and its addresses: small enough for any command to load
// without Octokit.

import { InvalidInputError } from '../core/errors.js';

export const GITHUB_API_URL = 'https://api.github.com';

export interface RepoTarget {
  owner: string;
  repo: string;
}

export function parseRepo(repo: string): RepoTarget {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repo.trim());
  if (
    !match ||
    match[2]!.endsWith('.git') ||
    match[1] === '.' ||
    match[2] === '.' ||
    match[1] === '..' ||
    match[2] === '..'
  ) {
    throw new InvalidInputError(
      `"${repo}" is not a GitHub repository; give it as owner/name (e.g. octo-org/app).`,
    );
  }
  return { owner: match[1]!, repo: match[2]! };
}

/** The web address of a repository for links in bodies: github.com, or the Enterprise host. */
export function repoWebUrl(apiUrl: string | null | undefined, repo: string): string {
  const base = (apiUrl ?? GITHUB_API_URL).replace(/\/+$/, '');
  if (base === GITHUB_API_URL) return `https://github.com/${repo}`;
  return `${base.replace(/\/api\/v3$/, '')}/${repo}`;
}
