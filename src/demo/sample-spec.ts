// The spec-kit documents of the demo project: a small feature with three user stories.

export const SAMPLE_EPIC = '001-team-notes';

export const SAMPLE_SPEC = `# Feature Specification: Team Notes

**Feature Branch**: \`001-team-notes\`
**Status**: Draft

## User Scenarios & Testing

### User Story 1 - Post a note (Priority: P1)
A team member posts a short note that the whole team sees.

### User Story 2 - Tag notes (Priority: P2)
Notes carry tags so that people can follow a topic.

### User Story 3 - Search notes (Priority: P3)
Anyone finds an old note by words in it.
`;

export const SAMPLE_TASKS = `# Tasks: Team Notes

**Input**: Design documents from \`/specs/001-team-notes/\`

## Format: \`[ID] [P?] [Story] Description\`

## Phase 1: Setup (Shared Infrastructure)

- [ ] T001 Create project structure per implementation plan
- [ ] T002 Initialize TypeScript project with express and vitest
- [ ] T003 [P] Configure linting and formatting in biome.json

## Phase 2: Foundational (Blocking Prerequisites)

- [ ] T004 Set up the database schema and migrations in src/db/schema.ts
- [ ] T005 [P] Add request logging middleware in src/http/logging.ts

## Phase 3: User Story 1 - Post a note (Priority: P1) 🎯 MVP

### Tests for User Story 1

- [ ] T006 [P] [US1] Contract test for POST /notes in tests/contract/notes.test.ts

### Implementation for User Story 1

- [ ] T007 [P] [US1] Create the Note model in src/models/note.ts
- [ ] T008 [US1] Implement NoteService in src/services/note-service.ts
- [ ] T009 [US1] Implement POST /notes in src/http/notes.ts

## Phase 4: User Story 2 - Tag notes (Priority: P2)

- [ ] T010 [P] [US2] Create the Tag model in src/models/tag.ts
- [ ] T011 [US2] Accept tags on POST /notes in src/http/notes.ts

## Phase 5: User Story 3 - Search notes (Priority: P3)

- [ ] T012 [US3] Implement GET /notes?q= in src/http/search.ts

## Phase 6: Polish & Cross-Cutting Concerns

- [ ] T013 [P] Write the API guide in docs/api.md
- [ ] T014 Run quickstart.md validation
`;
