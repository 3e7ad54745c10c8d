// Starts the team server on a port and stops it gracefully: on close it stops taking connections,
// answers the requests in flight and lets their writes finish before it returns.

import { InvalidInputError } from '../core/errors.js';
import type { TeamStore } from '../core/team-store.js';
import { writesSettled } from '../store/json-document.js';
import { buildApp } from './app.js';
import type { GithubServerOptions } from './github-mirrors.js';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  team: TeamStore;
  host: string;
  /** 0: any free port (the URL says which). */
  port: number;
  log?: (line: string) => void;
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  sessionAppendLimit?: number;
  sessionSizeLimit?: number;
  sessionReadLimit?: number;
  github?: GithubServerOptions;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const app = await buildApp(options);
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new InvalidInputError(
        `Port ${options.port} on ${options.host} is in use; choose another with --port.`,
      );
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new InvalidInputError(`Cannot listen on ${options.host}: no such address on this machine.`);
    }
    if (code === 'EACCES') {
      throw new InvalidInputError(`Not allowed to listen on port ${options.port}; use one above 1023.`);
    }
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    close: () => {
      closing ??= (async () => {
        await app.close();
        await writesSettled();
        await options.team.close();
      })();
      return closing;
    },
  };
}
