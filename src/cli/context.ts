// What every command needs: the global options, the project and its Service, the actor, and one
// way to print (JSON for programs, text for people).

import type { Command } from 'commander';
import type { Service } from '../core/service.js';
import type { SessionStore } from '../core/session-store.js';
import { terminalSafe } from '../core/terminal-text.js';
import { LocalSessionStore } from '../sessions/local-session-store.js';
import { resolveActor } from './actor.js';
import { openProject, openService, type Project } from './project.js';

export interface GlobalOptions {
  json?: boolean;
  as?: string;
  debug?: boolean;
  dir?: string;
}

export class CommandContext {
  private cachedProject: Project | null = null;
  private cachedService: Service | null = null;
  private cachedSessions: SessionStore | null = null;

  constructor(readonly options: GlobalOptions) {}

  get cwd(): string {
    return this.options.dir ?? process.cwd();
  }

  get json(): boolean {
    return this.options.json === true;
  }

  async project(): Promise<Project> {
    this.cachedProject ??= await openProject(this.cwd);
    return this.cachedProject;
  }

  async service(): Promise<Service> {
    this.cachedService ??= await openService(await this.project());
    return this.cachedService;
  }

  /**
   * Where the commands that look at recorded sessions read them: the one place a store is chosen
   * (the local spool today; a team server's will plug in here).
   */
  /** This clone's sessions, and with a team server (and a token for it) the team's as well. */
  async sessions(): Promise<SessionStore> {
    if (this.cachedSessions) return this.cachedSessions;
    const project = await this.project();
    const local = new LocalSessionStore(project.root);
    this.cachedSessions = local;
    if (project.config.server) {
      const { serverSessions } = await import('./session-sync.js');
      const server = await serverSessions(project).catch(() => null);
      if (server) {
        const { TeamSessionStore } = await import('../sessions/team-session-store.js');
        const warn = (message: string) => process.stderr.write(`${terminalSafe(message)}\n`);
        this.cachedSessions = new TeamSessionStore(local, server.store, warn);
      }
    }
    return this.cachedSessions;
  }

  actor(): string {
    return resolveActor(this.options.as, this.cwd);
  }

  /**
   * Prints `data` as JSON with --json (exact: JSON escapes controls itself), else the text `human` makes
   * of it, with control characters made visible: titles and notes come from anyone.
   */
  print<T>(data: T, human: (data: T) => string): void {
    // Indented for a person at a terminal; compact for a program reading a pipe (and faster to write).
    const text = this.json
      ? JSON.stringify(data, null, process.stdout.isTTY ? 2 : undefined)
      : terminalSafe(human(data));
    if (text !== '') process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

/** Wraps a command's action so it receives the context first; errors reach main's handler. */
export function action<A extends unknown[]>(
  handler: (ctx: CommandContext, ...args: A) => Promise<void>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const ctx = new CommandContext(command.optsWithGlobals() as GlobalOptions);
    await handler(ctx, ...(args.slice(0, -1) as A));
  };
}
