// Writes the phase command files of the agents a team uses. sdd's own files are kept up to date
// only while nobody changed them: the hash of what sdd wrote is kept in .sdd/agent-commands.json
// (committed, so it holds for the whole team); a file changed by a person is left as it is, and no
// other file in those folders is ever touched.

import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InvalidInputError } from '../../core/errors.js';
import { AGENTS, type AgentName, commandFile } from './formats.js';
import { PHASES } from './phases.js';

export const MANIFEST = join('.sdd', 'agent-commands.json');

export type CommandFileAction = 'created' | 'updated' | 'unchanged' | 'kept';

export interface CommandFileResult {
  agent: AgentName;
  path: string;
  action: CommandFileAction;
  note?: string;
}

const ALIASES: Record<string, AgentName> = {
  claude: 'claude',
  'claude-code': 'claude',
  codex: 'codex',
  gemini: 'gemini',
  'gemini-cli': 'gemini',
  copilot: 'copilot',
  'github-copilot': 'copilot',
  opencode: 'opencode',
};

/** `claude,codex` or `all`; an unknown name names the known ones. */
export function parseAgentList(list: string): AgentName[] {
  const words = list
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w !== '');
  if (words.includes('all')) return [...AGENTS];
  const agents: AgentName[] = [];
  for (const word of words) {
    const agent = ALIASES[word];
    if (!agent) {
      throw new InvalidInputError(
        `--agents: unknown agent "${word}"; sdd writes commands for ${AGENTS.join(', ')} (or "all").`,
      );
    }
    if (!agents.includes(agent)) agents.push(agent);
  }
  if (agents.length === 0)
    throw new InvalidInputError(`--agents needs at least one of ${AGENTS.join(', ')}.`);
  return agents;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function readManifest(root: string): Promise<Record<string, string>> {
  try {
    const parsed = JSON.parse(await readFile(join(root, MANIFEST), 'utf8')) as {
      files?: Record<string, string>;
    };
    return parsed.files ?? {};
  } catch {
    return {};
  }
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

export async function writeAgentCommands(root: string, agents: AgentName[]): Promise<CommandFileResult[]> {
  const manifest = await readManifest(root);
  const results: CommandFileResult[] = [];
  for (const agent of agents) {
    for (const phase of PHASES) {
      const file = commandFile(agent, phase);
      const path = join(root, file.path);
      const current = await readOptional(path);
      const wrote = manifest[file.path];
      let action: CommandFileAction;
      if (current === file.text) action = 'unchanged';
      else if (current === null) action = 'created';
      else if (wrote !== undefined && sha256(current) === wrote) action = 'updated';
      else {
        results.push({ agent, path: file.path, action: 'kept', note: 'changed by someone, left as it is' });
        continue;
      }
      if (action !== 'unchanged') await writeAtomic(path, file.text);
      manifest[file.path] = sha256(file.text);
      results.push({ agent, path: file.path, action });
    }
  }
  const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => (a < b ? -1 : 1)));
  await writeAtomic(
    join(root, MANIFEST),
    `${JSON.stringify({ note: 'sdd keeps the files it wrote up to date only while their hash is the one here; a file you change is yours', files: sorted }, null, 2)}\n`,
  );
  return results;
}
