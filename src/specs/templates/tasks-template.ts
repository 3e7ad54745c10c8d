// spec-kit's tasks template (templates/tasks-template.md), kept in the package and given to the
// agent in the `sdd tasks` prompt. Its sample tasks sit in a comment: a copy nobody filled in
// imports no made-up work.

export const TASKS_TEMPLATE = `# Tasks: [FEATURE NAME]

**Input**: Design documents from \`[SPEC DIR]\`
**Prerequisites**: plan.md (required), spec.md (required for user stories), research.md, data-model.md, contracts/

**Organization**: Tasks are grouped by user story, so each story can be built and tested on its own.

## Format: \`[ID] [P?] [Story] Description\`

- **[P]**: can run in parallel (different files, no dependencies)
- **[Story]**: which user story the task belongs to (US1, US2, US3)
- Include exact file paths in descriptions

<!--
  Replace the sample below with the real tasks, from the user stories of spec.md (with their
  priorities P1, P2...), plan.md, data-model.md and contracts/.

## Phase 1: Setup (Shared Infrastructure)

- [ ] T001 Create project structure per implementation plan
- [ ] T002 [P] Configure linting and formatting tools

## Phase 2: Foundational (Blocking Prerequisites)

- [ ] T003 Setup database schema and migrations framework

## Phase 3: User Story 1 - [Title] (Priority: P1) 🎯 MVP

**Goal**: [Brief description of what this story delivers]

**Independent Test**: [How to verify this story works on its own]

- [ ] T004 [P] [US1] Create [Entity1] model in src/models/[entity1].py
- [ ] T005 [US1] Implement [Service] in src/services/[service].py (depends on T004)

## Phase N: Polish & Cross-Cutting Concerns

- [ ] T0NN [P] Documentation updates in docs/
-->
`;
