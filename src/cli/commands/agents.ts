// sdd agents (which agent CLIs sdd can launch, installed or not), sdd session transcript, and
// sdd config set agent.

import { execFile } from 'node:child_process';
import type { Command } from 'commander';
import writeFileAtomic from 'write-file-atomic';
import type { AgentAdapter } from '../../../adapters/agent-adapter.js';
import { ADAPTERS, agentNames, findAdapter } from '../../../adapters/index.js';
import { InvalidInputError } from '../../core/errors.js';
import { readTranscriptFiles } from '../../sessions/stored-files.js';
import { action } from '../context.js';
import { configPath } from '../project.js';
import { adapterNamed, findOnPath } from './run.js';

interface AgentInfo {
  name: string;
  /** Every name --agent takes for it: its own, and its command's. */
  names: string[];
  title: string;
  binary: string | null;
  installed: boolean;
  /** null when it has none, or when its --version was too slow to wait for. */
  version: string | null;
  /** `sdd run` gives it sdd's MCP server (see adapters/<name>/mcp-config.ts). */
  mcp: boolean;
}

/** How long a --version may take: a busy machine makes a Node-based agent slow to start, not absent. */
const VERSION_PROBE_MS = 5000;

/** Installed is being on PATH; the version is asked of every agent at once, each bounded in time. */
async function describeAgent(adapter: AgentAdapter): Promise<AgentInfo> {
  const base = {
    name: adapter.name,
    names: agentNames(adapter),
    title: adapter.title,
    mcp: adapter.mcpServer !== undefined,
  };
  if (!adapter.binary) return { ...base, binary: null, installed: true, version: null };
  const installed = findOnPath(adapter.binary) !== null;
  const version = installed ? await probeVersion(adapter.binary, adapter.versionArgs) : null;
  return { ...base, binary: adapter.binary, installed, version };
}

function probeVersion(binary: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(binary, args, { encoding: 'utf8', timeout: VERSION_PROBE_MS }, (error, stdout, stderr) => {
      if (error?.killed) return resolve(null); // too slow: installed, version unknown
      resolve(`${stdout || stderr}`.trim().split('\n')[0] || null);
    }).stdin?.end();
  });
}

function formatAgent(agent: AgentInfo): string {
  const state = !agent.binary
    ? ''
    : !agent.installed
      ? '  (not installed)'
      : `  (${agent.version ?? 'installed, version unknown'})`;
  return `${agent.installed ? '✓' : '✗'} ${agent.names.join(', ').padEnd(20)} ${agent.title}${state}${agent.mcp ? '  [MCP]' : ''}`;
}

export function registerAgents(program: Command): void {
  program
    .command('agents')
    .description(
      'the agent CLIs sdd can launch with `sdd run --agent NAME` (its name or its command), whether installed, and their versions',
    )
    .action(
      action(async (ctx) => {
        const agents = await Promise.all(ADAPTERS.map(describeAgent));
        ctx.print(agents, (list) => list.map(formatAgent).join('\n'));
      }),
    );

  const config = program
    .command('config')
    .description('project settings (.sdd/config.json): `sdd config show`, `sdd config set agent NAME`');
  config
    .command('show')
    .description("the project's settings: its id, its id prefix, the team server, the default agent")
    .action(
      action(async (ctx) => {
        const { config: settings } = await ctx.project();
        ctx.print(settings, (c) =>
          [
            `project: ${c.projectId} (ids like ${c.idPrefix}-1)`,
            `server: ${c.server ?? 'none (the embedded store in .sdd/local/)'}`,
            `agent: ${c.agent ?? 'none (sdd run needs --agent, --cmd or words after --)'}`,
          ].join('\n'),
        );
      }),
    );
  config
    .command('set')
    .description('change a setting: `agent` is the default agent of `sdd run` ("" clears it)')
    .argument('<key>', 'agent')
    .argument('<value>', 'the value ("" to clear)')
    .action(
      action(async (ctx, key: string, value: string) => {
        if (key !== 'agent')
          throw new InvalidInputError(`Unknown setting "${key}"; the one setting today is agent.`);
        // Kept by its own name, whichever name was typed.
        const agent = value === '' ? null : adapterNamed(value).name;
        const project = await ctx.project();
        const config = { ...project.config, agent };
        await writeFileAtomic(configPath(project.root), `${JSON.stringify(config, null, 2)}\n`);
        ctx.print(config, (c) =>
          c.agent ? `sdd run now launches ${c.agent} by default.` : 'No default agent.',
        );
      }),
    );

  const session = program.commands.find((c) => c.name() === 'session');
  (session ?? program.command('session'))
    .command('transcript')
    .description(
      "the agent's conversation in one form: user, assistant, tool calls and results, with times and the model; a sub-agent's entries labelled, thinking and the harness's meta lines hidden unless asked for",
    )
    .argument('<id>', 'session id')
    .option('--thinking', "also show the model's thinking (reasoning) entries")
    .option(
      '--all',
      "show everything: thinking, and the harness's meta lines (command tags, hooks, bookkeeping)",
    )
    .option('--meta', 'the same as --all')
    .action(
      action(async (ctx, id: string, view: { thinking?: boolean; all?: boolean; meta?: boolean }) => {
        const sessions = await ctx.sessions();
        const record = await sessions.get(id);
        const adapter = findAdapter(record.agent);
        const files = await readTranscriptFiles(sessions, record.id);
        if (files.length === 0 || !adapter?.loadTranscriptParser) {
          throw new InvalidInputError(
            `Session ${record.id} (${record.agent}) has no agent transcript; its terminal is in \`sdd replay ${record.id}\`.`,
          );
        }
        const { parseTranscript } = await import('../../transcripts/parse-transcript.js');
        const { formatTranscript } = await import('../../transcripts/format-transcript.js');
        const transcript = await parseTranscript(adapter, files);
        // --json is every entry with its kind, whatever the view: filtering is for the reader at a terminal.
        ctx.print(transcript, (t) =>
          formatTranscript(t, { thinking: view.thinking, all: view.all || view.meta }),
        );
      }),
    );
}
