// The team context of a phase prompt: the same documents and rules as every prompt sdd builds
// (the server's current versions when the project is linked, else .sdd/context/), so the agent
// shapes the spec and the plan by the team's constitution, product, tech stack and workflow.

import { contextPromptSection } from '../specs/team-context.js';
import type { Project } from './project.js';
import { loadTeamContext } from './team-context.js';

export async function phaseContextSection(project: Project, actor: string): Promise<string> {
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  return contextPromptSection(await loadTeamContext(project, { actor, warn }));
}
