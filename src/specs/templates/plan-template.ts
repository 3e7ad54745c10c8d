// spec-kit's plan template (templates/plan-template.md), kept in the package: `sdd plan` puts it at
// plan.md when the epic has none, as spec-kit's setup-plan script does.

export const PLAN_TEMPLATE = `# Implementation Plan: [FEATURE]

**Branch**: \`[###-feature-name]\` | **Date**: [DATE] | **Spec**: [spec.md](./spec.md)
**Input**: Feature specification from \`[SPEC PATH]\`

## Summary

[Primary requirement + technical approach from research]

## Technical Context

**Language/Version**: [e.g., Python 3.11 or NEEDS CLARIFICATION]
**Primary Dependencies**: [e.g., FastAPI or NEEDS CLARIFICATION]
**Storage**: [if applicable, e.g., PostgreSQL, files or N/A]
**Testing**: [e.g., pytest or NEEDS CLARIFICATION]
**Target Platform**: [e.g., Linux server]
**Project Type**: [single/web/mobile]
**Performance Goals**: [domain-specific, e.g., 1000 req/s]
**Constraints**: [domain-specific, e.g., <200ms p95]
**Scale/Scope**: [domain-specific, e.g., 10k users]

## Constitution Check

*GATE: must pass before Phase 0 research; re-check after Phase 1 design.*

[Gates from the project's constitution (.sdd/context/constitution.md)]

## Project Structure

### Documentation (this feature)

\`\`\`text
specs/[###-feature]/
├── plan.md              # This file
├── research.md          # Phase 0: decisions, rationale, alternatives considered
├── data-model.md        # Phase 1: entities, fields, relationships, state transitions
├── quickstart.md        # Phase 1: how to run and check the feature end to end
├── contracts/           # Phase 1: API contracts (OpenAPI, GraphQL, CLI...)
└── tasks.md             # Phase 2: made by \`sdd tasks\`, not by \`sdd plan\`
\`\`\`

### Source Code (repository root)

[The real layout this feature uses]

## Complexity Tracking

| Violation | Why Needed | Simpler Alternative Rejected Because |
|-----------|------------|-------------------------------------|
`;
