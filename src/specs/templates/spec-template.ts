// spec-kit's spec template (templates/spec-template.md), kept in the package: `sdd specify` fills the
// placeholders it knows (name, branch, date, description) and the agent or the person the rest.

export const SPEC_TEMPLATE = `# Feature Specification: [FEATURE NAME]

**Feature Branch**: \`[###-feature-name]\`
**Created**: [DATE]
**Status**: Draft
**Input**: User description: "[DESCRIPTION]"

## User Scenarios & Testing *(mandatory)*

<!--
  User stories are PRIORITIZED as user journeys ordered by importance. Each one must be
  INDEPENDENTLY TESTABLE: implementing just one of them still gives a viable MVP.
  P1 is the most critical, then P2, P3...
-->

### User Story 1 - [Brief Title] (Priority: P1)

[Describe this user journey in plain language]

**Why this priority**: [Explain the value and why it has this priority level]

**Independent Test**: [How this can be tested on its own, and the value it delivers]

**Acceptance Scenarios**:

1. **Given** [initial state], **When** [action], **Then** [expected outcome]

### Edge Cases

- What happens when [boundary condition]?

## Requirements *(mandatory)*

### Functional Requirements

- **FR-001**: System MUST [specific capability]
- **FR-002**: System MUST [NEEDS CLARIFICATION: anything the description leaves open, as a question]

### Key Entities *(include if the feature involves data)*

- **[Entity 1]**: [What it represents, key attributes without implementation]

## Success Criteria *(mandatory)*

### Measurable Outcomes

- **SC-001**: [Measurable metric, e.g. "Users can complete account creation in under 2 minutes"]
`;
