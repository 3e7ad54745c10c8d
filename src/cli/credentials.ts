// The tokens this user keeps for team servers: ~/.config/sdd/credentials.json (0600 in a 0700
// folder), one entry per server URL; SDD_TOKEN, when set, overrides the file for every server.

import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { InvalidInputError } from '../core/errors.js';
import { ensurePrivateFolder, PRIVATE_FILE_MODE } from '../store/private-folder.js';

export interface SavedCredential {
  token: string;
  /** Who the server said the token belongs to, at login. */
  user: string;
  savedAt: string;
}

export interface CredentialsFile {
  servers: Record<string, SavedCredential>;
}

/** `$XDG_CONFIG_HOME/sdd/credentials.json`, else `~/.config/sdd/credentials.json`. */
export function credentialsPath(): string {
  const configHome = process.env.XDG_CONFIG_HOME?.trim() || join(homedir(), '.config');
  return join(configHome, 'sdd', 'credentials.json');
}

/**
 * The one spelling of a server's URL that config.json and the credentials file both use: http or
 * https, no trailing slash, no query, no credentials in it (a token belongs in the file, not the URL).
 */
export function normalizeServerUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new InvalidInputError(
      `"${input}" is not a server URL; give one like http://127.0.0.1:4100 (what \`sdd server\` prints).`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidInputError(`A server URL starts with http:// or https://; got "${input}".`);
  }
  if (url.username || url.password) {
    throw new InvalidInputError(
      'A server URL must not hold a user or password; log in with `sdd login <url> --token T`.',
    );
  }
  if (url.search || url.hash) {
    throw new InvalidInputError(`A server URL has no query or fragment; got "${input}".`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export async function readCredentials(): Promise<CredentialsFile> {
  const path = credentialsPath();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { servers: {} };
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<CredentialsFile>;
    if (typeof parsed.servers !== 'object' || parsed.servers === null) throw new Error('no "servers" object');
    return { servers: parsed.servers };
  } catch (error) {
    throw new InvalidInputError(
      `${path} is not a credentials file sdd can read (${(error as Error).message}); fix it, or delete it and \`sdd login\` again.`,
    );
  }
}

/** Written whole and atomically, 0600 in a 0700 folder: a crash never leaves half a file of secrets. */
async function writeCredentials(file: CredentialsFile): Promise<void> {
  const path = credentialsPath();
  await ensurePrivateFolder(dirname(path));
  await writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
}

/** Keeps `credential` for `url`, leaving other servers' entries as they are. */
export async function saveCredential(url: string, credential: SavedCredential): Promise<void> {
  const file = await readCredentials();
  file.servers[url] = credential;
  await writeCredentials(file);
}

/** Forgets the token of `url`; returns whether there was one. */
export async function forgetCredential(url: string): Promise<boolean> {
  const file = await readCredentials();
  if (!(url in file.servers)) return false;
  delete file.servers[url];
  await writeCredentials(file);
  return true;
}

/** The token to send to `url`: SDD_TOKEN first (agents and CI set it), else the one saved at login. */
export async function tokenFor(url: string): Promise<string | null> {
  const fromEnvironment = process.env.SDD_TOKEN?.trim();
  if (fromEnvironment) return fromEnvironment;
  const file = await readCredentials();
  return file.servers[url]?.token ?? null;
}
