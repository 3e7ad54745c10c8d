// The JSON shapes of the team server's API, declared once: Fastify validates requests and writes
// responses with them, and the OpenAPI description at /api/v1/openapi.json is generated from them.
// They mirror the core's types (src/core/types.ts, service.ts, ready.ts); the contract suite run
// against the server proves that nothing is lost on the way.

import { type TSchema, Type } from 'typebox';
import { SESSION_FILE_PATTERN, SESSION_ID_PATTERN } from '../core/session-store.js';
import { PROJECT_ID_PATTERN, ROLES } from '../core/team-store.js';
import { DEPENDENCY_TYPES, ITEM_TYPES, MAX_PRIORITY, MIN_PRIORITY, STATUSES } from '../core/types.js';

// An enum in JSON Schema (`enum: [...]`), typed as the union of its values.
const oneOf = <const V extends string[]>(values: readonly [...V]) => Type.Enum(values);
const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ItemTypeSchema = oneOf(ITEM_TYPES);
export const StatusSchema = oneOf(STATUSES);
export const DependencyTypeSchema = oneOf(DEPENDENCY_TYPES);
export const RoleSchema = oneOf(ROLES);
const Priority = Type.Integer({ minimum: MIN_PRIORITY, maximum: MAX_PRIORITY });
/** Long enough for any title the core accepts; the core gives the exact limit and its message. */
const Text = Type.String({ maxLength: 1_000_000 });
// A blank actor reaches the Service, which refuses it with the embedded message.
const Actor = Type.String({ maxLength: 200 });
const Ref = Type.String({ minLength: 1, maxLength: 300 });
// Seconds, fractions allowed (tests use short leases); the core refuses zero with its own message.
const Ttl = Type.Number({ maximum: 30 * 24 * 3600 });
const Labels = Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100 });

export const ClaimSchema = Type.Object({
  actor: Type.String(),
  claimedAt: Type.String(),
  expiresAt: Type.String(),
});
const NoteSchema = Type.Object({ author: Type.String(), at: Type.String(), text: Type.String() });
// Open to fields a later version adds, so a newer client's import base is not stripped on the way.
const SourceSchema = Type.Object(
  {
    file: Type.String(),
    line: Type.Integer(),
    ref: Type.String(),
    epicKey: Type.String(),
    checked: Type.Optional(Type.Boolean()),
    priority: Type.Optional(Type.Integer()),
    labels: Type.Optional(Type.Array(Type.String())),
    removed: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true },
);

export const ItemSchema = Type.Object({
  id: Type.String(),
  type: ItemTypeSchema,
  title: Type.String(),
  description: Type.String(),
  status: StatusSchema,
  priority: Type.Integer(),
  labels: Type.Array(Type.String()),
  parent: nullable(Type.String()),
  order: nullable(Type.Number()),
  mvp: Type.Boolean(),
  source: nullable(SourceSchema),
  claim: nullable(ClaimSchema),
  notes: Type.Array(NoteSchema),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  closedAt: nullable(Type.String()),
});

export const ItemSummarySchema = Type.Object({
  id: Type.String(),
  ref: nullable(Type.String()),
  title: Type.String(),
  status: StatusSchema,
  type: ItemTypeSchema,
});

const ProgressSchema = Type.Object({
  total: Type.Integer(),
  done: Type.Integer(),
  inProgress: Type.Integer(),
  cancelled: Type.Integer(),
});
const WaitSchema = Type.Object({ on: ItemSummarySchema, via: nullable(ItemSummarySchema) });

export const ItemDetailsSchema = Type.Object({
  item: ItemSchema,
  parent: nullable(ItemSummarySchema),
  epic: nullable(ItemSummarySchema),
  children: Type.Array(ItemSummarySchema),
  blockedBy: Type.Array(ItemSummarySchema),
  blocks: Type.Array(ItemSummarySchema),
  related: Type.Array(ItemSummarySchema),
  discoveredFrom: Type.Array(ItemSummarySchema),
  progress: nullable(ProgressSchema),
  waitsOn: Type.Array(WaitSchema),
  ready: Type.Boolean(),
});

export const TreeNodeSchema = Type.Cyclic(
  {
    TreeNode: Type.Object({
      item: ItemSchema,
      progress: nullable(ProgressSchema),
      children: Type.Array(Type.Ref('TreeNode')),
    }),
  },
  'TreeNode',
);

export const DependencyViewSchema = Type.Object({
  from: ItemSummarySchema,
  to: ItemSummarySchema,
  type: DependencyTypeSchema,
  origin: oneOf(['user', 'import']),
});

export const ReadyEntrySchema = Type.Object({
  item: ItemSchema,
  epic: nullable(ItemSummarySchema),
  parent: nullable(ItemSummarySchema),
  reason: Type.String(),
  finishedBlockers: Type.Array(ItemSummarySchema),
  expiredClaim: nullable(ClaimSchema),
});

export const BlockedEntrySchema = Type.Object({
  item: ItemSchema,
  epic: nullable(ItemSummarySchema),
  waitsOn: Type.Array(WaitSchema),
});

export const ClaimResultSchema = Type.Object({
  item: ItemSchema,
  claim: ClaimSchema,
  renewed: Type.Boolean(),
  tookOverFrom: nullable(Type.String()),
});
export const ReleaseResultSchema = Type.Object({ item: ItemSchema, released: Type.Boolean() });
export const CloseResultSchema = Type.Object({ item: ItemSchema, settled: Type.Array(ItemSummarySchema) });

export const ImportResultSchema = Type.Object({
  epic: ItemSummarySchema,
  created: Type.Array(ItemSummarySchema),
  updated: Type.Array(ItemSummarySchema),
  unchanged: Type.Integer(),
  removed: Type.Array(ItemSummarySchema),
  statusChanges: Type.Array(Type.Object({ item: ItemSummarySchema, from: StatusSchema, to: StatusSchema })),
  dependencies: Type.Object({ added: Type.Integer(), removed: Type.Integer() }),
});

// Requests

export const CreateItemBody = Type.Object(
  {
    input: Type.Object(
      {
        type: Type.Optional(ItemTypeSchema),
        title: Text,
        description: Type.Optional(Text),
        priority: Type.Optional(Priority),
        labels: Type.Optional(Labels),
        parent: Type.Optional(Ref),
      },
      { additionalProperties: false },
    ),
    actor: Type.Optional(Actor),
  },
  { additionalProperties: false },
);

export const UpdateItemBody = Type.Object(
  {
    change: Type.Object(
      {
        title: Type.Optional(Text),
        description: Type.Optional(Text),
        status: Type.Optional(StatusSchema),
        priority: Type.Optional(Priority),
        addLabels: Type.Optional(Labels),
        removeLabels: Type.Optional(Labels),
        parent: Type.Optional(nullable(Ref)),
        force: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false },
    ),
    actor: Type.Optional(Actor),
  },
  { additionalProperties: false },
);

export const NoteBody = Type.Object(
  { text: Text, actor: Type.Optional(Actor) },
  { additionalProperties: false },
);

export const ClaimBody = Type.Object(
  {
    actor: Type.Optional(Actor),
    ttlSeconds: Type.Optional(Ttl),
    force: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/**
 * A count in a query string. Requests are validated without type coercion (a JSON body with
 * `"priority": "2"` is a 400, and null is never turned into ""), so query numbers are digit strings.
 */
const QueryLimit = Type.String({ pattern: '^(?:[1-9][0-9]{0,4}|100000)$' }); // 1 to 100,000

const WorkQueryFields = {
  epic: Type.Optional(Ref),
  label: Type.Optional(Type.String({ maxLength: 200 })),
};
export const WorkQuerySchema = Type.Object(
  { ...WorkQueryFields, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })) },
  { additionalProperties: false },
);
export const WorkQueryString = Type.Object(
  { ...WorkQueryFields, limit: Type.Optional(QueryLimit) },
  { additionalProperties: false },
);

export const ClaimNextBody = Type.Object(
  {
    actor: Type.Optional(Actor),
    query: Type.Optional(WorkQuerySchema),
    ttlSeconds: Type.Optional(Ttl),
    force: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const CloseBody = Type.Object(
  { actor: Type.Optional(Actor), force: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const ListQuery = Type.Object(
  {
    type: Type.Optional(ItemTypeSchema),
    status: Type.Optional(StatusSchema),
    label: Type.Optional(Type.String({ maxLength: 200 })),
    epic: Type.Optional(Ref),
    parent: Type.Optional(Ref),
    limit: Type.Optional(QueryLimit),
  },
  { additionalProperties: false },
);

export const TreeQuery = Type.Object({ root: Type.Optional(Ref) }, { additionalProperties: false });

export const DependencyBody = Type.Object(
  { from: Ref, to: Ref, type: DependencyTypeSchema, actor: Type.Optional(Actor) },
  { additionalProperties: false },
);
export const RemoveDependencyBody = Type.Object(
  { from: Ref, to: Ref, type: Type.Optional(DependencyTypeSchema) },
  { additionalProperties: false },
);

const TaskListTaskSchema = Type.Object(
  {
    ref: Type.String({ minLength: 1 }),
    line: Type.Integer({ minimum: 0 }),
    checked: Type.Boolean(),
    parallel: Type.Boolean(),
    story: nullable(Type.String()),
    moreStories: Type.Optional(Type.Array(Type.String())),
    // This clone's merge base for the box (src/cli/task-box-base.ts): null when it never saw it.
    lastSeenChecked: Type.Optional(nullable(Type.Boolean())),
    title: Type.String(),
    details: Type.String(),
    paths: Type.Array(Type.String()),
  },
  { additionalProperties: true },
);

const ProblemSchema = Type.Object({ file: Type.String(), line: Type.Integer(), problem: Type.String() });

export const ImportBody = Type.Object(
  {
    document: Type.Object(
      {
        epicKey: Type.String({ minLength: 1 }),
        epicTitle: Type.String(),
        file: Type.String(),
        looseTasks: Type.Array(TaskListTaskSchema),
        phases: Type.Array(
          Type.Object(
            {
              key: Type.String(),
              kind: oneOf(['setup', 'foundational', 'story', 'polish', 'other']),
              title: Type.String(),
              line: Type.Integer({ minimum: 0 }),
              priority: nullable(Type.Integer()),
              mvp: Type.Boolean(),
              tasks: Type.Array(TaskListTaskSchema),
            },
            { additionalProperties: true },
          ),
        ),
        warnings: Type.Optional(Type.Array(ProblemSchema)),
      },
      { additionalProperties: true },
    ),
    actor: Type.Optional(Actor),
  },
  { additionalProperties: false },
);

// Projects, tokens, push

export const ProjectIdSchema = Type.String({ pattern: PROJECT_ID_PATTERN });
export const ProjectParams = Type.Object({ project: ProjectIdSchema });
export const ItemParams = Type.Object({ project: ProjectIdSchema, ref: Ref });

export const ProjectSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  idPrefix: Type.String(),
  createdAt: Type.String(),
  createdBy: Type.String(),
});

export const CreateProjectBody = Type.Object(
  {
    id: ProjectIdSchema,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    idPrefix: Type.String({ pattern: '^[a-z][a-z0-9]{0,7}$' }),
  },
  { additionalProperties: false },
);

export const PrincipalSchema = Type.Object({
  tokenId: Type.String(),
  user: Type.String(),
  role: RoleSchema,
  project: nullable(Type.String()),
});

const DependencySchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  type: oneOf(['blocks', 'related', 'discovered-from']),
  origin: oneOf(['user', 'import']),
  createdAt: Type.String(),
});

// Decisions (src/core/decisions.ts): lengths and blanks are the core's to refuse, with its messages.
const DecisionSourceSchema = oneOf(['mcp', 'clarifications', 'cli']);

export const DecisionSchema = Type.Object({
  id: Type.String(),
  itemId: Type.String(),
  question: Type.String(),
  options: Type.Array(Type.String()),
  choice: Type.String(),
  rationale: Type.String(),
  actor: Type.String(),
  sessionId: nullable(Type.String()),
  sessionTime: nullable(Type.Number()),
  source: DecisionSourceSchema,
  at: Type.String(),
});

export const DecisionBody = Type.Object(
  {
    input: Type.Object(
      {
        item: Ref,
        question: Text,
        options: Type.Optional(Type.Array(Text, { maxItems: 1000 })),
        choice: Text,
        rationale: Type.Optional(Text),
        sessionId: Type.Optional(nullable(Type.String({ maxLength: 300 }))),
        sessionTime: Type.Optional(nullable(Type.Number())),
        source: Type.Optional(DecisionSourceSchema),
      },
      { additionalProperties: false },
    ),
    actor: Type.Optional(Actor),
  },
  { additionalProperties: false },
);

export const DecisionQuery = Type.Object(
  {
    epic: Type.Optional(Ref),
    item: Type.Optional(Ref),
    sessionId: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    grep: Type.Optional(Type.String({ maxLength: 1000 })),
    limit: Type.Optional(QueryLimit),
  },
  { additionalProperties: false },
);

export const PushBody = Type.Object(
  {
    nextId: Type.Integer({ minimum: 1 }),
    items: Type.Array(ItemSchema),
    dependencies: Type.Array(DependencySchema),
    decisions: Type.Optional(Type.Array(DecisionSchema)),
  },
  { additionalProperties: false },
);
export const PushResultSchema = Type.Object({ items: Type.Integer(), dependencies: Type.Integer() });

export const ErrorSchema = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  }),
});

// Sessions

const SessionStatusSchema = oneOf(['running', 'finished', 'interrupted']);
export const SessionIdSchema = Type.String({ pattern: SESSION_ID_PATTERN });
/** One path segment, `/` escaped (transcript%2Fchat.jsonl); the store refuses `..` in it too. */
export const SessionFileNameSchema = Type.String({ pattern: SESSION_FILE_PATTERN });
export const SessionParams = Type.Object({ project: ProjectIdSchema, session: SessionIdSchema });
/** getSession finds a session by its id or a part of it: its start, or its random end (-a3f9). */
export const SessionLookupParams = Type.Object({
  project: ProjectIdSchema,
  session: Type.String({ pattern: '^(?!.*\\.\\.)[A-Za-z0-9._-]{1,80}$' }),
});
export const SessionFileParams = Type.Object({
  project: ProjectIdSchema,
  session: SessionIdSchema,
  name: SessionFileNameSchema,
});
/** A byte offset or count in a query string: digits, as for `limit` (no coercion of JSON values). */
const QueryBytes = Type.String({ pattern: '^(?:0|[1-9][0-9]{0,15})$' });

export const SessionRecordSchema = Type.Object(
  {
    id: SessionIdSchema,
    itemId: Type.String({ maxLength: 300 }),
    itemRef: nullable(Type.String({ maxLength: 300 })),
    actor: Actor,
    command: Type.Array(Type.String({ maxLength: 100_000 }), { maxItems: 1000 }),
    agent: Type.String({ maxLength: 200 }),
    launch: Type.Optional(
      Type.Object(
        { headless: Type.Boolean(), agentArgs: Type.Array(Type.String({ maxLength: 100_000 })) },
        { additionalProperties: false },
      ),
    ),
    conversationId: nullable(Type.String({ maxLength: 500 })),
    cwd: Type.String({ maxLength: 10_000 }),
    baseCommit: nullable(Type.String({ maxLength: 200 })),
    checkpointRef: nullable(Type.String({ maxLength: 500 })),
    worktree: nullable(Type.String({ maxLength: 10_000 })),
    startedAt: Type.String({ maxLength: 40 }),
    endedAt: nullable(Type.String({ maxLength: 40 })),
    exitCode: nullable(Type.Integer()),
    status: SessionStatusSchema,
    pid: Type.Integer(),
    host: Type.String({ maxLength: 500 }),
    cols: Type.Integer({ minimum: 0 }),
    rows: Type.Integer({ minimum: 0 }),
    controlSocket: nullable(Type.String({ maxLength: 10_000 })),
    redactions: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
    forkedFrom: nullable(
      Type.Object(
        { sessionId: Type.String(), commit: Type.String(), checkpoint: nullable(Type.Integer()) },
        { additionalProperties: false },
      ),
    ),

    phase: Type.Optional(oneOf(['specify', 'clarify', 'plan', 'tasks', 'implement'])),
    recordedIn: Type.Optional(nullable(SessionIdSchema)),
  },
  { additionalProperties: false },
);

export const SessionListQuery = Type.Object(
  {
    itemId: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    status: Type.Optional(SessionStatusSchema),
    limit: Type.Optional(QueryLimit),
  },
  { additionalProperties: false },
);

export const SessionFileSchema = Type.Object({ name: Type.String(), size: Type.Integer() });
export const ReadFileQuery = Type.Object(
  { offset: Type.Optional(QueryBytes), length: Type.Optional(QueryBytes) },
  { additionalProperties: false },
);
export const AppendFileQuery = Type.Object({ offset: QueryBytes }, { additionalProperties: false });
export const AppendResultSchema = Type.Object({ size: Type.Integer() });
/** Bytes, for the OpenAPI description: the body is sent and answered as application/octet-stream. */
export const BytesSchema = Type.String({ contentMediaType: 'application/octet-stream' });
