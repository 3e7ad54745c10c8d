// The short templates `sdd init` puts in .sdd/context/ for a team to fill once. A document still
// equal to its template says nothing yet: prompts leave it out rather than feed an agent placeholders.

export const CONTEXT_TEMPLATES: Record<string, string> = {
  constitution: `# Constitution

<!-- The few rules every change to this project must keep. Replace these examples. -->

1. **Tests first.** Every change comes with a test that fails without it.
2. **Simple over clever.** Prefer the plain solution; add abstraction only when a second use appears.
3. **No secrets in the repository.** Configuration comes from the environment.
`,
  product: `# Product

<!-- What this project is for: who uses it, what they get, what it is not. -->

- **Users:**
- **Problem it solves:**
- **Out of scope:**
`,
  'tech-stack': `# Tech stack

<!-- Languages, frameworks, storage, and the versions the project is held to. -->

- **Language:**
- **Frameworks and libraries:**
- **Storage:**
- **Build, test and lint commands:**
`,
  workflow: `# Workflow

<!-- How the team works: branches, reviews, what "done" means. -->

- **Branches:** one per epic (\`NNN-short-name\`), merged by pull request.
- **Done means:** tests pass, lint is clean, the task is closed with \`sdd done\`.
- **Reviews:**
`,
};

export const CONTEXT_TEMPLATE_NAMES = Object.keys(CONTEXT_TEMPLATES);

/** True when `text` is sdd's template for `name` as written (line endings aside): nothing filled in. */
export function isUntouchedTemplate(name: string, text: string): boolean {
  const template = CONTEXT_TEMPLATES[name];
  return template !== undefined && text.replace(/\r\n/g, '\n').trim() === template.trim();
}
