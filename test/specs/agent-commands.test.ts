// The phase command files `sdd init --agents` writes: each valid for its agent (front matter that
// parses, TOML that parses, the agent's own argument placeholder), each telling the agent to run
// `sdd <phase> --here` first and `--done` last; re-running keeps a person's changes and other files.

import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { AGENTS, type AgentName, commandFile } from '../../src/specs/agent-commands/formats.js';
import { PHASES } from '../../src/specs/agent-commands/phases.js';
import { parseAgentList, writeAgentCommands } from '../../src/specs/agent-commands/write.js';
import { makeTempDir } from '../helpers/temp-dir.js';

function frontMatter(text: string): { data: Record<string, unknown>; body: string } {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`no front matter in:\n${text}`);
  return { data: parseYaml(match[1]!) as Record<string, unknown>, body: match[2]! };
}

/** The two keys sdd writes, read the way TOML reads them (basic string, multi-line basic string). */
function readToml(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const unescapeToml = (s: string) => s.replace(/\\(["\\])/g, '$1');
  const withoutComments = text.replace(/^#.*$/gm, '');
  for (const match of withoutComments.matchAll(/^(\w+) = """\n([\s\S]*?)"""$/gm))
    values[match[1]!] = unescapeToml(match[2]!);
  for (const match of withoutComments.matchAll(/^(\w+) = "((?:[^"\\]|\\.)*)"$/gm))
    values[match[1]!] = unescapeToml(match[2]!);
  return values;
}

const PLACEHOLDER: Record<AgentName, RegExp> = {
  claude: /\$ARGUMENTS/,
  opencode: /\$ARGUMENTS/,
  gemini: /\{\{args\}\}/,
  copilot: /\$\{input:arguments:[^}]+\}/,
  codex: /the request for this skill/,
};

describe('each agent command file', () => {
  for (const agent of AGENTS) {
    for (const phase of PHASES) {
      it(`${agent} ${phase}: valid, with the placeholder, running sdd ${phase} --here then --done`, () => {
        const file = commandFile(agent, phase);
        let body: string;
        if (agent === 'gemini') {
          expect(file.path).toBe(`.gemini/commands/sdd.${phase}.toml`);
          const toml = readToml(file.text);
          expect(Object.keys(toml).sort()).toEqual(['description', 'prompt']);
          body = toml.prompt!;
          const python = spawnSync(
            'python3',
            ['-c', 'import sys, tomllib; tomllib.loads(sys.stdin.read())'],
            {
              input: file.text,
              encoding: 'utf8',
            },
          );
          if (!python.error) expect(python.status, python.stderr).toBe(0);
        } else {
          const { data, body: rest } = frontMatter(file.text);
          expect(typeof data.description).toBe('string');
          if (agent === 'copilot') expect(data.agent).toBe('agent');
          if (agent === 'codex') expect(data.name).toBe(`sdd-${phase}`);
          body = rest;
        }
        expect(body).toMatch(PLACEHOLDER[agent]);
        const here = body.indexOf(`sdd ${phase} --here`);
        const done = body.indexOf(`sdd ${phase} --here --done`);
        expect(here).toBeGreaterThan(0);
        expect(done).toBeGreaterThan(here);
      });
    }
  }

  it('lives where each agent looks for it', () => {
    expect(AGENTS.map((a) => commandFile(a, 'plan').path)).toEqual([
      '.claude/commands/sdd.plan.md',
      '.agents/skills/sdd-plan/SKILL.md',
      '.gemini/commands/sdd.plan.toml',
      '.github/prompts/sdd.plan.prompt.md',
      '.opencode/commands/sdd.plan.md',
    ]);
  });
});

describe('parseAgentList', () => {
  it('takes names, aliases and all, and refuses an unknown one', () => {
    expect(parseAgentList('claude, Gemini-CLI,claude')).toEqual(['claude', 'gemini']);
    expect(parseAgentList('all')).toEqual([...AGENTS]);
    expect(() => parseAgentList('claude,cursor')).toThrow(/unknown agent "cursor"/);
    expect(() => parseAgentList(' , ')).toThrow(/at least one/);
  });
});

describe('writeAgentCommands', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => {
    dir = await makeTempDir('sdd-agent-commands-');
  });
  afterEach(() => dir.remove());

  it('creates, then leaves unchanged; updates its own unchanged files; keeps changed ones and others', async () => {
    const first = await writeAgentCommands(dir.path, ['claude', 'gemini']);
    expect(first.every((r) => r.action === 'created')).toBe(true);
    expect(first).toHaveLength(10);
    const again = await writeAgentCommands(dir.path, ['claude', 'gemini']);
    expect(again.every((r) => r.action === 'unchanged')).toBe(true);

    // A person's own command beside sdd's, and a person's change to one of sdd's.
    const own = join(dir.path, '.claude', 'commands', 'review.md');
    await writeFile(own, 'my own\n');
    const plan = join(dir.path, '.claude', 'commands', 'sdd.plan.md');
    await writeFile(plan, 'changed by hand\n');
    // An older sdd's text of another file (its hash in the manifest): it is sdd's, so it is updated.
    const manifestPath = join(dir.path, '.sdd', 'agent-commands.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    const tasks = '.gemini/commands/sdd.tasks.toml';
    const older = 'description = "old"\nprompt = "old"\n';
    const { createHash } = await import('node:crypto');
    manifest.files[tasks] = createHash('sha256').update(older).digest('hex');
    await writeFile(manifestPath, JSON.stringify(manifest));
    await writeFile(join(dir.path, tasks), older);

    const third = await writeAgentCommands(dir.path, ['claude', 'gemini']);
    const byPath = Object.fromEntries(third.map((r) => [r.path, r.action]));
    expect(byPath['.claude/commands/sdd.plan.md']).toBe('kept');
    expect(byPath[tasks]).toBe('updated');
    expect(await readFile(plan, 'utf8')).toBe('changed by hand\n');
    expect(await readFile(own, 'utf8')).toBe('my own\n');
    expect(await readFile(join(dir.path, tasks), 'utf8')).toBe(commandFile('gemini', 'tasks').text);
  });

  it('adopts a file that already holds exactly what sdd would write', async () => {
    const file = commandFile('opencode', 'specify');
    await mkdir(join(dir.path, '.opencode', 'commands'), { recursive: true });
    await writeFile(join(dir.path, file.path), file.text);
    const results = await writeAgentCommands(dir.path, ['opencode']);
    expect(results.find((r) => r.path === file.path)?.action).toBe('unchanged');
  });
});
