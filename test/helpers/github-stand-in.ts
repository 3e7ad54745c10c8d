// A stand-in for GitHub's REST API on a loopback port: every request is checked against GitHub's
// published OpenAPI description first (openapi-check.ts), then served from memory: issues, labels,
// comments, sub-issues and issue dependencies, with GitHub's limits (100 sub-issues per parent, 8
// levels, 65,536-character bodies). It counts requests by operation and answers with
// secondary-rate-limit 403s or 5xx errors on demand.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Answer,
  type IssueChange,
  type StandInIssue,
  type StandInLabel,
  standInRepository,
} from './github-stand-in-repo.js';
import { checkRequest } from './openapi-check.js';

export { BODY_LIMIT, DEPTH_LIMIT, type StandInIssue, SUB_ISSUE_LIMIT } from './github-stand-in-repo.js';

export interface StandIn {
  url: string;
  token: string;
  issues: Map<number, StandInIssue>;
  labels: Map<string, StandInLabel>;
  /** Requests served by operation id (refused ones under `refused:<status>`). */
  counts: Map<string, number>;
  /** Every request as `METHOD /path` in order. */
  log: string[];
  writes(): number;
  reads(): number;
  resetCounts(): void;
  /** The next `count` writes answer 403 "secondary rate limit" with retry-after. */
  secondaryRateLimit(count: number, retryAfterSeconds?: number): void;
  /** The next `count` requests answer `status` (5xx): the retry plugin's work. */
  serverErrors(count: number, status?: number): void;
  /** After `writes` more successful writes, every request answers 500 until `recover()`. */
  failAfterWrites(writes: number): void;
  recover(): void;
  /** What a person does on github.com: changes an issue (bumps updated_at). */
  edit(number: number, change: IssueChange): StandInIssue;
  issueByTitle(title: string): StandInIssue | undefined;
  close(): Promise<void>;
}

const WRITE = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

export async function startGithubStandIn(options: { token?: string } = {}): Promise<StandIn> {
  const token = options.token ?? 'ghp_standInToken0123456789abcdefABCDEF01';
  const repo = standInRepository();
  const { issues, labels } = repo;
  const counts = new Map<string, number>();
  const log: string[] = [];
  let secondary = { count: 0, retryAfter: 1 };
  let errors = { count: 0, status: 502 };
  let failAfter: number | null = null;
  let failing = false;
  const count = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const handle = async (request: IncomingMessage, response: ServerResponse, base: string) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', base);
    log.push(`${method} ${url.pathname}`);
    const send = ({ status, body, headers }: Answer) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      response.end(body === undefined ? '' : JSON.stringify(body));
    };
    const auth = request.headers.authorization ?? '';
    if (auth !== `token ${token}` && auth !== `Bearer ${token}`) {
      count('refused:401');
      return send({ status: 401, body: { message: 'Bad credentials', status: '401' } });
    }
    if (failing || errors.count > 0) {
      if (!failing) errors.count -= 1;
      const status = failing ? 500 : errors.status;
      count(`refused:${status}`);
      return send({ status, body: { message: 'Server Error' } });
    }
    if (WRITE.has(method) && secondary.count > 0) {
      secondary.count -= 1;
      count('refused:secondary-rate-limit');
      return send({
        status: 403,
        headers: { 'retry-after': String(secondary.retryAfter) },
        body: {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        },
      });
    }
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        count('refused:400');
        return send({ status: 400, body: { message: 'Problems parsing JSON' } });
      }
    }
    const checked = checkRequest(method, url, body);
    if (!checked.ok) {
      count(`refused:${checked.status}`);
      return send({
        status: checked.status,
        body: { message: checked.message, status: String(checked.status) },
      });
    }
    const answer = repo.serve(
      checked.operation.operationId,
      checked.operation.params,
      checked.query,
      (body ?? {}) as Record<string, unknown>,
      base,
    );
    count(answer.status < 300 ? checked.operation.operationId : `refused:${answer.status}`);
    if (answer.status < 300 && WRITE.has(method) && failAfter !== null) {
      failAfter -= 1;
      if (failAfter <= 0) failing = true;
    }
    send(answer);
  };

  const server: Server = createServer({ noDelay: true, keepAlive: true }, (request, response) => {
    handle(request, response, base).catch((error: Error) => {
      response.writeHead(500);
      response.end(JSON.stringify({ message: error.message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const writeOps = (key: string) =>
    /^issues\/(create|update|add|remove|create-comment|create-label)/.test(key);
  return {
    url: base,
    token,
    issues,
    labels,
    counts,
    log,
    writes: () => [...counts].filter(([k]) => writeOps(k)).reduce((n, [, v]) => n + v, 0),
    reads: () =>
      [...counts].filter(([k]) => !k.startsWith('refused:') && !writeOps(k)).reduce((n, [, v]) => n + v, 0),
    resetCounts: () => {
      counts.clear();
      log.length = 0;
    },
    secondaryRateLimit: (n, retryAfter = 1) => {
      secondary = { count: n, retryAfter };
    },
    serverErrors: (n, status = 502) => {
      errors = { count: n, status };
    },
    failAfterWrites: (n) => {
      failAfter = n;
    },
    recover: () => {
      failAfter = null;
      failing = false;
    },
    edit: repo.edit,
    issueByTitle: (title) => [...issues.values()].find((i) => i.title === title),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
