// Recorded sessions of one project: list, show, put the record, list the files, read a file's bytes
// and append to one at an offset. Bytes travel raw (application/octet-stream) in both directions; a
// client sends a big file in pieces of at most the append limit, each at the offset the server holds.

import { Type } from 'typebox';
import {
  AppendFileQuery,
  AppendResultSchema,
  BytesSchema,
  ProjectParams,
  ReadFileQuery,
  SessionFileParams,
  SessionFileSchema,
  SessionListQuery,
  SessionLookupParams,
  SessionParams,
  SessionRecordSchema,
} from '../../api/schemas.js';
import { checkAccess, type Principal } from '../../core/access.js';
import { InvalidInputError, TooLargeError } from '../../core/errors.js';
import type { SessionRecord, SessionStatus } from '../../core/session.js';
import type { SessionStore } from '../../core/session-store.js';
import {
  type ApiApp,
  actorOf,
  errorResponses,
  principalOf,
  type RouteContext,
  withLimit,
} from '../api-app.js';

const tags = ['sessions'];
const MiB = 1024 * 1024;

/** One append's body: a client sends a big file as several appends. */
export const DEFAULT_SESSION_APPEND_LIMIT = 8 * MiB;
/** All the files of one session together. */
export const DEFAULT_SESSION_SIZE_LIMIT = 2 * 1024 * MiB;

/** The most bytes one read answers: a client reads a bigger file in ranges (RemoteSessionStore does). */
export const DEFAULT_SESSION_READ_LIMIT = 64 * MiB;
/** On an answer cut at the read limit (RemoteSessionStore reads on from where it ends). */
const READ_CAPPED_HEADER = 'x-sdd-read-capped';

export interface SessionLimits {
  appendBytes: number;
  sessionBytes: number;
  readBytes: number;
}

const bytesResponse = {
  description:
    'The bytes of the file in the range asked for (none past its end), up to the read limit (64 MiB): an answer cut there says `x-sdd-read-capped: 1`; read on from its end.',
  content: { 'application/octet-stream': { schema: BytesSchema } },
};

/** Raw bodies for the append route: a Buffer, not parsed (JSON stays the rule everywhere else). */
export function acceptBytes(app: ApiApp, limit: number): void {
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: limit },
    (_r, body, done) => done(null, body),
  );
}

export function sessionRoutes(app: ApiApp, { team, projects }: RouteContext, limits: SessionLimits): void {
  /** The project's sessions, once the token may see the project and it exists (the same 404 as the tracker's). */
  async function sessionsOf(principal: Principal, project: string): Promise<SessionStore> {
    await projects.serviceFor(principal, project);
    return team.sessionStore(project);
  }

  app.get(
    '/projects/:project/sessions',
    {
      schema: {
        tags,
        operationId: 'listSessions',
        params: ProjectParams,
        querystring: SessionListQuery,
        response: { 200: Type.Array(SessionRecordSchema), ...errorResponses },
      },
    },
    async (request) => {
      const sessions = await sessionsOf(principalOf(request), request.params.project);
      const filter = withLimit(request.query) as { itemId?: string; status?: SessionStatus; limit?: number };
      return sessions.list(filter);
    },
  );

  app.get(
    '/projects/:project/sessions/:session',
    {
      schema: {
        tags,
        operationId: 'getSession',
        params: SessionLookupParams,
        response: { 200: SessionRecordSchema, ...errorResponses },
      },
    },
    async (request) => {
      const sessions = await sessionsOf(principalOf(request), request.params.project);
      return sessions.get(request.params.session);
    },
  );

  app.put(
    '/projects/:project/sessions/:session',
    {
      schema: {
        tags,
        operationId: 'putSession',
        params: SessionParams,
        body: SessionRecordSchema,
        response: { 200: SessionRecordSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const sessions = await sessionsOf(principal, request.params.project);
      checkAccess(principal, { kind: 'record-session' });
      // As for tracker changes: an agent token records sessions as its own user, whatever it sends.
      const sent = request.body as SessionRecord;
      const record = { ...sent, actor: actorOf(principal, sent.actor) };
      if (record.id !== request.params.session) {
        throw new InvalidInputError(
          `The record's id "${record.id}" is not the session of the path ("${request.params.session}").`,
        );
      }
      await sessions.putRecord(record);
      return record;
    },
  );

  app.get(
    '/projects/:project/sessions/:session/files',
    {
      schema: {
        tags,
        operationId: 'listSessionFiles',
        params: SessionParams,
        response: { 200: Type.Array(SessionFileSchema), ...errorResponses },
      },
    },
    async (request) => {
      const sessions = await sessionsOf(principalOf(request), request.params.project);
      return sessions.listFiles(request.params.session);
    },
  );

  app.get(
    '/projects/:project/sessions/:session/files/:name',
    {
      schema: {
        tags,
        operationId: 'readSessionFile',
        params: SessionFileParams,
        querystring: ReadFileQuery,
        response: { 200: bytesResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const sessions = await sessionsOf(principalOf(request), request.params.project);
      const { offset, length } = request.query;
      // Never a whole 2 GiB file in the server's memory: at most the read limit per answer.
      const asked = bytesOf(length, 'length') ?? Number.POSITIVE_INFINITY;
      const wanted = Math.min(asked, limits.readBytes);
      const bytes = await sessions.readFile(
        request.params.session,
        request.params.name,
        bytesOf(offset, 'offset') ?? 0,
        wanted,
      );
      if (wanted < asked && bytes.length === wanted) reply.header(READ_CAPPED_HEADER, '1');
      // A Buffer is sent as it is, unserialised; the typed reply only knows the JSON answers.
      const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return reply.type('application/octet-stream').send(raw as never);
    },
  );

  app.post(
    '/projects/:project/sessions/:session/files/:name',
    {
      bodyLimit: limits.appendBytes,
      schema: {
        tags,
        operationId: 'appendSessionFile',
        params: SessionFileParams,
        querystring: AppendFileQuery,
        response: { 200: AppendResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { project, session, name } = request.params;
      const sessions = await sessionsOf(principal, project);
      checkAccess(principal, { kind: 'record-session' });
      const body: unknown = request.body;
      if (!Buffer.isBuffer(body)) {
        throw new InvalidInputError(
          'Send the bytes as the body, with Content-Type: application/octet-stream.',
        );
      }
      const held = (await sessions.listFiles(session)).reduce((sum, file) => sum + file.size, 0);
      if (held + body.length > limits.sessionBytes) {
        throw new TooLargeError(
          `Session ${session} would hold ${held + body.length} bytes, over this server's limit of ${sizeOf(limits.sessionBytes)} per session; nothing was appended.`,
        );
      }
      return {
        size: await sessions.appendFile(session, name, bytesOf(request.query.offset, 'offset')!, body),
      };
    },
  );
}

/** A byte count from the query string (digits only, by its schema), or undefined when not given. */
function bytesOf(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new InvalidInputError(`querystring.${what}: too large.`);
  return value;
}

function sizeOf(bytes: number): string {
  return bytes >= 1024 * MiB
    ? `${+(bytes / (1024 * MiB)).toFixed(2)} GiB`
    : `${+(bytes / MiB).toFixed(2)} MiB`;
}
