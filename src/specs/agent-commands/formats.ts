// Each agent's own command file format, checked against its documentation:
// - Claude Code: .claude/commands/<name>.md, YAML front matter (description, argument-hint), $ARGUMENTS.
// - Gemini CLI: .gemini/commands/<name>.toml, `description` and `prompt`, {{args}} (the file name
//   sdd.plan.toml makes the command /sdd.plan).
// - GitHub Copilot (VS Code prompt files): .github/prompts/<name>.prompt.md, front matter
//   (description, agent: agent, argument-hint), ${input:...} for what the person types.
// - Codex: custom prompts ($CODEX_HOME/prompts) were removed in Codex 0.117; 0.171 reads skills from
//   .agents/skills/<name>/SKILL.md (front matter name + description) between the working directory
//   and the repository root, invoked as $sdd-plan. A skill has no argument placeholder: the request's
//   own words are the input.
// - opencode: .opencode/commands/<name>.md (the singular command/ of older versions is still read),
//   front matter (description, agent), $ARGUMENTS.

import { PHASE_COMMANDS, type Phase, phaseInstructions } from './phases.js';

export const AGENTS = ['claude', 'codex', 'gemini', 'copilot', 'opencode'] as const;
export type AgentName = (typeof AGENTS)[number];

export interface CommandFile {
  /** Relative to the repository root, with "/". */
  path: string;
  text: string;
}

/** YAML's double-quoted scalar: JSON's string escapes are a subset it reads the same. */
function yamlString(value: string): string {
  return JSON.stringify(value);
}

/** TOML's multi-line basic string: backslashes and runs of quotes escaped. */
export function tomlMultiline(value: string): string {
  return `"""\n${value.replace(/\\/g, '\\\\').replace(/"""/g, '""\\"')}"""`;
}

function header(phase: Phase): string {
  return `# sdd ${phase}\n\nThis command is one phase of sdd's spec workflow; sdd records it with the session.\n\n`;
}

export function commandFile(agent: AgentName, phase: Phase): CommandFile {
  const { description, argumentHint } = PHASE_COMMANDS[phase];
  const name = `sdd.${phase}`;
  switch (agent) {
    case 'claude':
      return {
        path: `.claude/commands/${name}.md`,
        text: `---\ndescription: ${yamlString(description)}\nargument-hint: ${yamlString(argumentHint)}\n---\n\n${header(phase)}${phaseInstructions(phase, '$ARGUMENTS')}`,
      };
    case 'gemini':
      return {
        path: `.gemini/commands/${name}.toml`,
        text: `# sdd's ${phase} phase: /${name} <${argumentHint.replace(/[<>[\]]/g, '')}>\ndescription = ${JSON.stringify(description)}\nprompt = ${tomlMultiline(header(phase) + phaseInstructions(phase, '{{args}}'))}\n`,
      };
    case 'copilot':
      return {
        path: `.github/prompts/${name}.prompt.md`,
        text: `---\ndescription: ${yamlString(description)}\nagent: agent\nargument-hint: ${yamlString(argumentHint)}\n---\n\n${header(phase)}${phaseInstructions(phase, `\${input:arguments:${argumentHint}}`)}`,
      };
    case 'codex':
      return {
        path: `.agents/skills/sdd-${phase}/SKILL.md`,
        text: `---\nname: sdd-${phase}\ndescription: ${yamlString(`${description}. Use when the person asks for $sdd-${phase}.`)}\n---\n\n${header(phase)}${phaseInstructions(phase, `The words the person wrote with the request for this skill (after \`$sdd-${phase}\`).`)}`,
      };
    case 'opencode':
      return {
        path: `.opencode/commands/${name}.md`,
        text: `---\ndescription: ${yamlString(description)}\nagent: build\n---\n\n${header(phase)}${phaseInstructions(phase, '$ARGUMENTS')}`,
      };
  }
}
