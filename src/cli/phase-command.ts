// One phase of the spec workflow from the command line: a recorded session on the epic with the
// phase's prompt, then the link of what it left (decisions, tasks); or, with --here, the same
// registered for an agent that is already running (a phase record with no recording of its own),
// and --here --done for its end.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError, NotFoundError } from '../core/errors.js';
import type { PhaseName } from '../core/phases.js';
import type { SessionRecord } from '../core/session.js';
import { type ControlRequest, sendControl } from '../sessions/control-channel.js';
import { LocalSessionStore } from '../sessions/local-session-store.js';
import { newSessionId } from '../sessions/session-folder.js';
import type { RunSessionResult } from '../sessions/session-runner.js';
import { gitState } from '../sessions/session-setup.js';
import { phasePrompt } from '../specs/templates/phase-prompts.js';
import { adapterNamed } from './commands/run.js';
import type { CommandContext } from './context.js';
import type { EpicOfPhase } from './epic-of.js';
import { phaseContextSection } from './phase-context.js';
import { type PhaseOptions, phaseLaunch, runPhaseSession } from './phase-launch.js';
import { type DecisionsLinked, linkClarifications, linkTaskList } from './phase-link.js';

type SessionPhase = PhaseName;

export interface PhaseLinks {
  decisions?: DecisionsLinked;
  /** After clarify: the [NEEDS CLARIFICATION] markers still in spec.md. */
  openMarkers?: number;
  tasks?: { created: number; updated: number; unchanged: number; removed: number } | null;
}

export interface PhaseOutcome {
  phase: SessionPhase;
  epic: { id: string; key: string; title: string };
  specDir: string;
  session: SessionRecord;
  exitCode: number | null;
  checkpoints: number | null;
  links: PhaseLinks;
  /** For --here: what the agent is asked to do. */
  instructions?: string;
}

export async function buildPhasePrompt(
  ctx: CommandContext,
  phase: SessionPhase,
  epic: EpicOfPhase,
  description: string,
): Promise<string> {
  const project = await ctx.project();
  return phasePrompt({
    phase,
    epicKey: epic.key,
    epicTitle: epic.epic.title,
    epicId: epic.epic.id,
    specDir: epic.specDir,
    description,
    contextSection: await phaseContextSection(project, ctx.actor()),
  });
}

/** Runs the phase (a session, --here, or --here --done), links what it left, prints the outcome. */
export async function runPhase(
  ctx: CommandContext,
  input: {
    phase: SessionPhase;
    epic: EpicOfPhase;
    description: string;
    options: PhaseOptions;
    words: string[];
  },
): Promise<number> {
  const { phase, epic, options } = input;
  if (options.done && !options.here)
    throw new InvalidInputError('--done goes with --here (`sdd <phase> --here --done`).');
  const root = (await ctx.project()).root;
  if (phase !== 'specify' && !existsSync(join(root, epic.specDir, 'spec.md'))) {
    throw new InvalidInputError(
      `${epic.specDir}/spec.md is not in this folder: write it with \`sdd specify\`, or switch to (or pull) the branch ${epic.key} that has it.`,
    );
  }
  const prompt = await buildPhasePrompt(ctx, phase, epic, input.description);
  let outcome: PhaseOutcome;
  if (options.here && options.done) outcome = await endHere(ctx, phase, epic);
  else if (options.here) outcome = { ...(await startHere(ctx, phase, epic, options)), instructions: prompt };
  else {
    const launch = await phaseLaunch(ctx, options, input.words);
    const result = await runPhaseSession(ctx, { phase, epicId: epic.epic.id, prompt, launch, options });
    outcome = await outcomeOf(ctx, phase, epic, result);
  }
  ctx.print(outcome, formatOutcome);
  const failed = outcome.exitCode !== null && outcome.exitCode !== 0;
  const noTasks = phase === 'tasks' && !(options.here && !options.done) && outcome.links.tasks === null;
  return failed ? (outcome.exitCode ?? 1) : noTasks ? 1 : 0;
}

async function outcomeOf(
  ctx: CommandContext,
  phase: SessionPhase,
  epic: EpicOfPhase,
  result: RunSessionResult,
): Promise<PhaseOutcome> {
  return {
    phase,
    epic: { id: epic.epic.id, key: epic.key, title: epic.epic.title },
    specDir: epic.specDir,
    session: result.session,
    exitCode: result.exitCode,
    checkpoints: result.checkpoints,
    links: await linkPhase(ctx, phase, epic, result.session),
  };
}

/** What the phase leaves, linked: clarify's decisions, the task list of tasks. */
async function linkPhase(
  ctx: CommandContext,
  phase: SessionPhase,
  epic: EpicOfPhase,
  session: SessionRecord,
): Promise<PhaseLinks> {
  const project = await ctx.project();
  const service = await ctx.service();
  const links: PhaseLinks = {};
  if (phase === 'clarify' || phase === 'specify') {
    // The recording that holds the phase: its own, or for --here the session around it.
    const store = await ctx.sessions();
    const recording =
      session.recordedIn === undefined
        ? session
        : session.recordedIn === null
          ? null
          : await store.get(session.recordedIn).catch(() => null);
    links.decisions = await linkClarifications(project, service, store, epic, recording, ctx.actor());
    if (phase === 'clarify') {
      const spec = await readFile(join(project.root, epic.specDir, 'spec.md'), 'utf8').catch(() => '');
      links.openMarkers = spec.match(/\[NEEDS CLARIFICATION\b/g)?.length ?? 0;
    }
  }
  if (phase === 'tasks') {
    const linked = await linkTaskList(project, service, epic, ctx.actor());
    links.tasks = linked && {
      created: linked.result.created.length,
      updated: linked.result.updated.length,
      unchanged: linked.result.unchanged,
      removed: linked.result.removed.length,
    };
    if (linked && !ctx.json)
      for (const w of linked.warnings) process.stderr.write(`${w.file}:${w.line}: warning: ${w.problem}\n`);
  }
  if (links.decisions && !ctx.json) {
    for (const w of links.decisions.warnings)
      process.stderr.write(`${w.file}:${w.line}: warning: ${w.problem}\n`);
  }
  return links;
}

/** --here: a phase record on the epic, in the session around it (SDD_SESSION_ID) or in none. */
async function startHere(
  ctx: CommandContext,
  phase: SessionPhase,
  epic: EpicOfPhase,
  options: PhaseOptions,
): Promise<PhaseOutcome> {
  const project = await ctx.project();
  const local = new LocalSessionStore(project.root);
  const outerId = process.env.SDD_SESSION_ID ?? null;
  const outer = outerId ? await local.get(outerId).catch(() => null) : null;
  const record: SessionRecord = {
    id: newSessionId(),
    itemId: epic.epic.id,
    itemRef: epic.key,
    actor: outer?.actor ?? ctx.actor(),
    command: [],
    agent: outer?.agent ?? hereAgent(options),
    conversationId: null,
    cwd: project.root,
    baseCommit: (await gitState(project.root)).head,
    checkpointRef: null,
    worktree: null,
    startedAt: new Date().toISOString(),
    endedAt: null,
    exitCode: null,
    // Nothing records it, so nothing of it can die: it stays open (no endedAt) until --done.
    status: 'finished',
    pid: process.pid,
    host: hostname(),
    cols: 0,
    rows: 0,
    controlSocket: null,
    redactions: {},
    forkedFrom: null,
    phase,
    recordedIn: outer ? outer.id : null,
  };
  await local.putRecord(record);
  await uploadRecord(ctx, record.id);
  if (outer) await tellRecorder(outer, { type: 'mark', label: `${phase} of ${epic.key} begins` });
  return {
    phase,
    epic: { id: epic.epic.id, key: epic.key, title: epic.epic.title },
    specDir: epic.specDir,
    session: record,
    exitCode: null,
    checkpoints: null,
    links: {},
  };
}

/** --here --done: ends the newest open phase record of this phase and epic made in this clone, and links. */
async function endHere(ctx: CommandContext, phase: SessionPhase, epic: EpicOfPhase): Promise<PhaseOutcome> {
  const project = await ctx.project();
  const local = new LocalSessionStore(project.root);
  const open = (await local.list({ itemId: epic.epic.id })).find(
    (r) => r.phase === phase && r.command.length === 0 && r.endedAt === null,
  );
  if (!open) {
    throw new NotFoundError(
      `No ${phase} phase of ${epic.key} is open here; start it with \`sdd ${phase} ${epic.key} --here\` first.`,
    );
  }
  // The files as they are now go into the recording around the phase first, so what the phase
  // wrote has its checkpoint (and each decision its moment) before the link looks for them.
  const outer = open.recordedIn ? await local.get(open.recordedIn).catch(() => null) : null;
  if (outer) await tellRecorder(outer, { type: 'checkpoint', message: `${phase} of ${epic.key} done` });
  const record: SessionRecord = {
    ...open,
    status: 'finished',
    endedAt: new Date().toISOString(),
    exitCode: 0,
  };
  await local.putRecord(record);
  await uploadRecord(ctx, record.id);
  return {
    phase,
    epic: { id: epic.epic.id, key: epic.key, title: epic.epic.title },
    specDir: epic.specDir,
    session: record,
    exitCode: null,
    checkpoints: null,
    links: await linkPhase(ctx, phase, epic, record),
  };
}

/**
 * Who runs a phase registered outside any session: the agent its command file names (`--agent`), or
 * the one whose environment this is (Claude Code sets CLAUDECODE), else "unrecorded".
 */
function hereAgent(options: PhaseOptions): string {
  if (options.agent) return adapterNamed(options.agent).name;
  if (process.env.CLAUDECODE === '1') return 'claude-code';
  return 'unrecorded';
}

/** A marker or a checkpoint in the live session around a --here phase; a recorder gone is no error. */
async function tellRecorder(outer: SessionRecord, request: ControlRequest): Promise<void> {
  if (outer.status !== 'running' || !outer.controlSocket) return;
  await sendControl(outer.controlSocket, request).catch(() => undefined);
}

/** A phase record goes to the team server at once; a failure leaves it for `sdd sync`. */
async function uploadRecord(ctx: CommandContext, id: string): Promise<void> {
  const project = await ctx.project();
  if (!project.config.server) return;
  const uploads = await import('./session-sync.js');
  try {
    const target = await uploads.serverSessions(project);
    if (target) await uploads.uploadOne(project, target, id);
  } catch (error) {
    process.stderr.write(
      `sdd: phase record ${id} is kept here; \`sdd sync\` uploads it (${(error as Error).message}).\n`,
    );
  }
}

function formatOutcome(o: PhaseOutcome): string {
  const lines: string[] = [];
  if (o.instructions) {
    lines.push(o.instructions.trimEnd(), '');
    lines.push(
      `sdd: ${o.phase} of ${o.epic.key} registered (${o.session.recordedIn ? `in session ${o.session.recordedIn}` : 'no recording'}); when it is written: sdd ${o.phase} ${o.epic.key} --here --done`,
    );
    return lines.join('\n');
  }
  const how = o.exitCode === null ? 'ended' : `ended (exit ${o.exitCode}, ${o.checkpoints} checkpoint(s))`;
  lines.push(`sdd: ${o.phase} of ${o.epic.key} "${o.epic.title}" ${how}; session ${o.session.id}.`);
  const d = o.links.decisions;
  if (d && (d.decisions.length > 0 || o.phase === 'clarify')) {
    lines.push(`  decisions: ${d.decisions.length} from the Clarifications of ${o.specDir}/spec.md`);
  }
  if (o.links.openMarkers) {
    lines.push(
      `  ${o.links.openMarkers} [NEEDS CLARIFICATION] marker(s) still in spec.md: \`sdd clarify\` again, or go on`,
    );
  }
  if (o.links.tasks === null) lines.push(`  no ${o.specDir}/tasks.md was written: nothing imported`);
  else if (o.links.tasks) {
    const t = o.links.tasks;
    lines.push(
      `  tasks imported: ${t.created} created, ${t.updated} updated, ${t.unchanged} unchanged, ${t.removed} removed`,
    );
  }
  lines.push(`  history: sdd epic show ${o.epic.key}`);
  return lines.join('\n');
}
