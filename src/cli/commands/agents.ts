// sdd agents (which agent CLIs sdd can launch, installed or not), sdd session transcript, and
// sdd config set agent.

import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import writeFileAtomic from 'write-file-atomic';
import { ADAPTERS, findAdapter } from '../../../adapters/index.js';
import { InvalidInputError } from '../../core/errors.js';
import { SessionFolder } from '../../sessions/session-folder.js';
import { action } from '../context.js';
import { configPath } from '../project.js';

interface AgentInfo {
  name: string;
  title: string;
  binary: string | null;
  installed: boolean;
  version: string | null;
}

function describeAgent(name: string): AgentInfo {
  const adapter = findAdapter(name)!;
  if (!adapter.binary) return { name, title: adapter.title, binary: null, installed: true, version: null };
  const probe = spawnSync(adapter.binary, adapter.versionArgs, { encoding: 'utf8', timeout: 5000 });
  const installed = probe.error === undefined;
  const version = installed ? (probe.stdout || probe.stderr).trim().split('\n')[0] || null : null;
  return { name, title: adapter.title, binary: adapter.binary, installed, version };
}

export function registerAgents(program: Command): void {
  program
    .command('agents')
    .description(
      'the agent CLIs sdd can launch with `sdd run --agent NAME`, whether installed, and their versions',
    )
    .action(
      action(async (ctx) => {
        const agents = ADAPTERS.map((a) => describeAgent(a.name));
        ctx.print(agents, (list) =>
          list
            .map(
              (a) =>
                `${a.installed ? '✓' : '✗'} ${a.name.padEnd(12)} ${a.title}${a.binary ? `  (${a.binary}${a.version ? ` ${a.version}` : a.installed ? '' : ', not installed'})` : ''}`,
            )
            .join('\n'),
        );
      }),
    );

  program
    .command('config')
    .description('project settings: `sdd config set agent NAME` makes NAME the default of `sdd run`')
    .command('set')
    .argument('<key>', 'agent')
    .argument('<value>', 'the value ("" to clear)')
    .action(
      action(async (ctx, key: string, value: string) => {
        if (key !== 'agent')
          throw new InvalidInputError(`Unknown setting "${key}"; the one setting today is agent.`);
        if (value !== '' && !findAdapter(value)) {
          throw new InvalidInputError(
            `Unknown agent "${value}"; sdd knows ${ADAPTERS.map((a) => a.name).join(', ')}.`,
          );
        }
        const project = await ctx.project();
        const config = { ...project.config, agent: value === '' ? null : value };
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
        const folder = await SessionFolder.open((await ctx.project()).root, id);
        const record = await folder.readRecord();
        const adapter = findAdapter(record.agent);
        const names = (await readdir(folder.transcriptDir).catch(() => [] as string[])).sort();
        if (names.length === 0 || !adapter?.transcriptFormat) {
          throw new InvalidInputError(
            `Session ${record.id} (${record.agent}) has no agent transcript; its terminal is in \`sdd replay ${record.id}\`.`,
          );
        }
        const files = await Promise.all(
          names.map(async (name) => ({
            name,
            text: await readFile(join(folder.transcriptDir, name), 'utf8'),
          })),
        );
        const { parseTranscript } = await import('../../transcripts/parse-transcript.js');
        const { formatTranscript } = await import('../../transcripts/format-transcript.js');
        const transcript = parseTranscript(adapter.transcriptFormat, files);
        // --json is every entry with its kind, whatever the view: filtering is for the reader at a terminal.
        ctx.print(transcript, (t) =>
          formatTranscript(t, { thinking: view.thinking, all: view.all || view.meta }),
        );
      }),
    );
}
