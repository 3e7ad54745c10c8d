// A real `sdd server` process on a free loopback port for the CLI tests, and a user whose HOME and
// XDG folders sit in a temp folder, so that no test reads or writes the real ~/.config/sdd.

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { SDD_BIN } from '../helpers/run-sdd.js';

/** The environment of a user whose home is `home`: credentials and server data stay inside it. */
export function userEnv(
  home: string,
  extra: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    SDD_TOKEN: undefined,
    ...extra,
  };
}

export interface ServerProcess {
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** Everything it printed so far. */
  output(): string;
  /** The admin token it printed on its first start, if it did. */
  firstToken: string | null;
  /** Sends `signal` and resolves with the exit code once it has ended. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const TOKEN = /sdd_[a-f0-9]{12}_[A-Za-z0-9_-]{43}/;

export async function startServerProcess(
  home: string,
  args: string[] = [],
  env: Record<string, string | undefined> = {},
): Promise<ServerProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...userEnv(home), ...env };
  for (const [key, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[key];
  const child = spawn(process.execPath, [SDD_BIN, 'server', '--port', '0', ...args], { env: childEnv });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sdd server did not start in 30 s:\n${output}`)), 30_000);
    const look = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', look);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`sdd server exited ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    firstToken: TOKEN.exec(output)?.[0] ?? null,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
