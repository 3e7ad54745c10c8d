// The live routes: two WebSockets on the HTTP server's upgrade (ws with noServer), checked like every
// API request (the same bearer token, the same project rule: a token of another project gets 404),
// and a JSON list of the sessions live now.
//   /api/v1/projects/:project/sessions/:session/live/publish   `sdd run` (a token that may record)
//   /api/v1/projects/:project/sessions/:session/live[?from=N]  `sdd watch` (any token, a viewer's too)
//   GET /api/v1/projects/:project/live                         `sdd sessions --live`

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { WebSocketServer } from 'ws';
import { CLOSE_RESTART } from '../../api/live-frames.js';
import { ProjectParams, SessionRecordSchema } from '../../api/schemas.js';
import { checkAccess } from '../../core/access.js';
import { InvalidInputError, NotFoundError, NotLiveError, SddError } from '../../core/errors.js';
import type { SessionRecord } from '../../core/session.js';
import { SESSION_ID_PATTERN } from '../../core/session-store.js';
import { type ApiApp, errorResponses, principalOf, type RouteContext } from '../api-app.js';
import { authenticate } from '../auth.js';
import type { LiveHub } from './live-hub.js';

const LIVE_PATH = /^\/api\/v1\/projects\/([^/]+)\/sessions\/([^/]+)\/live(\/publish)?$/;
const SESSION_ID = new RegExp(SESSION_ID_PATTERN);
// A publisher's frame is one turn of its event loop: a few hundred KB at most; this leaves room.
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

const LiveSessionSchema = Type.Object({
  id: Type.String(),
  watchers: Type.Integer({ description: 'watchers connected to the process that answered' }),
  here: Type.Boolean({ description: 'whether the publisher is connected to the process that answered' }),
  since: Type.String(),
  record: Type.Union([SessionRecordSchema, Type.Null()]),
});

export function liveRoutes(app: ApiApp, { team, projects }: RouteContext, hub: LiveHub): void {
  app.get(
    '/projects/:project/live',
    {
      schema: {
        tags: ['sessions'],
        operationId: 'listLiveSessions',
        description: 'Sessions whose `sdd run` is connected to the server now (to any of its processes).',
        params: ProjectParams,
        response: { 200: Type.Array(LiveSessionSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { project } = request.params;
      await projects.serviceFor(principalOf(request), project);
      const store = team.sessionStore(project);
      const live = hub.list(project);
      return Promise.all(live.map(async (l) => ({ ...l, record: await store.get(l.id).catch(() => null) })));
    },
  );
}

/** Takes the upgrades of the live paths; any other upgrade is refused. Returns how to close them all. */
export function acceptLiveSockets(app: ApiApp, context: RouteContext, hub: LiveHub): () => void {
  const sockets = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_MESSAGE_BYTES,
  });
  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    upgrade(request, context, hub).then(
      (accepted) =>
        sockets.handleUpgrade(request, socket, head, (ws) => {
          ws.on('error', () => ws.terminate());
          try {
            accepted(ws);
          } catch {
            ws.terminate();
          }
        }),
      (error: unknown) => refuse(socket, error),
    );
  });
  return () => {
    for (const client of sockets.clients) client.close(CLOSE_RESTART, 'the server is restarting');
    sockets.close();
  };
}

type Accept = (ws: import('ws').WebSocket) => void;

async function upgrade(
  request: IncomingMessage,
  { team, projects }: RouteContext,
  hub: LiveHub,
): Promise<Accept> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const match = LIVE_PATH.exec(url.pathname);
  if (!match) throw new NotFoundError(`No such endpoint: GET ${url.pathname} (upgrade).`);
  const principal = await authenticate(team, { headers: request.headers } as FastifyRequest);
  const project = decodeURIComponent(match[1]!);
  const given = decodeURIComponent(match[2]!);
  await projects.serviceFor(principal, project);
  if (match[3]) {
    checkAccess(principal, { kind: 'record-session' });
    if (!SESSION_ID.test(given) || given.includes('..'))
      throw new InvalidInputError(`"${given}" is not a session id.`);
    return (ws) => hub.publish(project, given, ws);
  }
  const id = await watchedSession(team.sessionStore(project), hub, project, given);
  const fromText = url.searchParams.get('from');
  const from = fromText !== null && /^\d{1,15}$/.test(fromText) ? Number(fromText) : null;
  return (ws) => hub.watch(project, id, ws, from);
}

/** The session `given` names (an id, or its start or end), as long as it records now. */
async function watchedSession(
  store: { get(id: string): Promise<SessionRecord> },
  hub: LiveHub,
  project: string,
  given: string,
): Promise<string> {
  let record: SessionRecord | null = null;
  try {
    record = await store.get(given);
  } catch (error) {
    if ((error as { code?: string }).code !== 'NOT_FOUND') throw error;
  }
  if (!record) {
    // Live before its first upload (the record follows within seconds).
    const live = hub
      .liveIds(project)
      .filter((id) => id === given || id.startsWith(given) || id.endsWith(given));
    if (live.length === 1) return live[0]!;
    throw new NotFoundError(`No session "${given}" on this server; \`sdd sessions\` lists them.`);
  }
  if (!hub.isLive(project, record.id) && record.status !== 'running') {
    throw new NotLiveError(
      `Session ${record.id} is ${record.status}, not recording now: play it with \`sdd replay ${record.id}\`.`,
      { session: record.id, status: record.status },
    );
  }
  return record.id;
}

/** The refusal as the API gives it: a status line and the JSON error body, then the socket closed. */
function refuse(socket: Duplex, error: unknown): void {
  const sdd = error instanceof SddError ? error : null;
  const status = sdd?.httpStatus ?? 500;
  const body = JSON.stringify({
    error: sdd ? sdd.toJSON() : { code: 'INTERNAL', message: 'The server failed; see its log.' },
  });
  socket.end(
    `HTTP/1.1 ${status} ${statusText(status)}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function statusText(status: number): string {
  return (
    { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict' }[
      status
    ] ?? 'Error'
  );
}
