// sdd init: make the current repository an sdd project.

import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { writeMissingTemplates } from '../../specs/context-files.js';
import { action } from '../context.js';
import { initProject } from '../project.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description(
      'set up sdd in this repository: .sdd/config.json, the team context templates in .sdd/context/, and a git-ignored .sdd/local/; run again, it adds only what is missing',
    )
    .option('--prefix <prefix>', 'prefix of item ids (sd-1, sd-2, ...)', 'sd')
    .option(
      '--agents <names>',
      'also write the phase commands (sdd.specify, sdd.plan, ...) for these agents: claude, codex, gemini, copilot, opencode (comma-separated, or "all")',
    )
    .action(
      action(async (ctx, options: { prefix: string; agents?: string }) => {
        const root = gitTopLevel(ctx.cwd) ?? resolve(ctx.cwd);
        // The agents are checked before anything is written: a typo sets up nothing.
        const agentCommands = options.agents ? await import('../../specs/agent-commands/write.js') : null;
        const agents = agentCommands ? agentCommands.parseAgentList(options.agents!) : [];
        const { project, created } = await initProject(root, options.prefix);
        const context = await writeMissingTemplates(root);
        const commands = agentCommands ? await agentCommands.writeAgentCommands(root, agents) : [];
        ctx.print({ root: project.root, created, config: project.config, context, commands }, (r) => {
          const lines = [
            r.created
              ? `Set up sdd in ${r.root} (ids like ${r.config.idPrefix}-1).`
              : `sdd is already set up in ${r.root}.`,
          ];
          if (r.context.length > 0) {
            lines.push(
              `Wrote the team context templates: ${r.context.map((n) => `.sdd/context/${n}.md`).join(', ')} (fill them in once: \`sdd context edit constitution\`).`,
            );
          }
          for (const c of r.commands)
            if (c.action !== 'unchanged')
              lines.push(`${c.action.padEnd(9)} ${c.path}${c.note ? ` (${c.note})` : ''}`);
          if (!r.created && r.context.length === 0 && r.commands.every((c) => c.action === 'unchanged')) {
            lines.push('Nothing changed.');
          }
          if (r.created) lines.push('Next: `sdd import specs/NNN-slug/` or `sdd create "title"`.');
          return lines.join('\n');
        });
      }),
    );
}

function gitTopLevel(cwd: string): string | null {
  const git = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8' });
  return git.status === 0 ? git.stdout.trim() : null;
}
