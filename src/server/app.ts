// The team server's HTTP app: the routes under /api/v1/, each request's token checked first, the
// OpenAPI description made from the routes' own schemas, and one error shape for every failure.

import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { NotFoundError } from '../core/errors.js';
import type { TeamStore } from '../core/team-store.js';
import type { ApiApp, RouteContext } from './api-app.js';
import { authenticate } from './auth.js';
import { clientErrorHandler, errorHandler, frameworkErrorHandler, sendError } from './http-errors.js';
import { LiveHub } from './live/live-hub.js';
import { acceptLiveSockets, liveRoutes } from './live/live-routes.js';
import { ProjectServices } from './project-services.js';
import { contextRoutes } from './routes/context.js';
import { decisionRoutes } from './routes/decisions.js';
import { epicRoutes } from './routes/epics.js';
import { itemRoutes } from './routes/items.js';
import { projectRoutes } from './routes/projects.js';
import { sessionSearchRoutes } from './routes/session-search.js';
import {
  acceptBytes,
  DEFAULT_SESSION_APPEND_LIMIT,
  DEFAULT_SESSION_READ_LIMIT,
  DEFAULT_SESSION_SIZE_LIMIT,
  sessionRoutes,
} from './routes/sessions.js';
import { treeChangeRoutes } from './routes/tree-changes.js';
import { workRoutes } from './routes/work.js';
import { validatorCompiler } from './validator.js';

export const API_PREFIX = '/api/v1';
/** Every request but an import or a push is a few KB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface AppOptions {
  team: TeamStore;
  log?: (line: string) => void;
  /** A slow or silent client is cut off after this long (headers and body together). */
  requestTimeoutMs?: number;
  /** A connection silent this long (half-open, or a client that stopped mid-request) is closed. */
  connectionTimeoutMs?: number;
  /** A kept-alive connection with no new request is closed after this long. */
  keepAliveTimeoutMs?: number;
  version?: string;
  /** The largest body of one append to a session's file (a client sends big files in pieces). */
  sessionAppendLimit?: number;
  /** The most bytes one session's files may hold together. */
  sessionSizeLimit?: number;
  /** The most bytes one read of a session's file answers (a client reads on from there). */
  sessionReadLimit?: number;
}

export async function buildApp(options: AppOptions): Promise<ApiApp> {
  const log = options.log ?? (() => undefined);
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const app = Fastify({
    logger: false,
    bodyLimit: DEFAULT_BODY_LIMIT,
    // Node and Fastify wait forever by default: a client that never finishes a request would hold
    // its socket (and, with enough of them, the server) for good.
    requestTimeout,
    connectionTimeout: options.connectionTimeoutMs ?? 60_000,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 5_000,
    // Node checks request timeouts only every 30 s, and the headers' own limit (60 s) is fixed when
    // the server is made: a client trickling a byte a second would outlive requestTimeout by far.
    http: {
      requestTimeout,
      headersTimeout: requestTimeout,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(requestTimeout / 4))),
    },
    // On close, idle kept-alive sockets go at once; requests in flight are answered first.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Refs such as 004-team-notes/T012 travel as one path segment, with the slash escaped.
    routerOptions: { maxParamLength: 500 },
    // A bad %-escape or an over-long path segment is refused by the router: same error shape.
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler: clientErrorHandler(requestTimeout),
  }).withTypeProvider<TypeBoxTypeProvider>();
  // TypeBox's own checker instead of Fastify's ajv defaults, which quietly coerce body values
  // ("3" -> 3, "a" -> ["a"]) and drop unknown fields: a body is taken as sent or refused.
  app.setValidatorCompiler(validatorCompiler);
  // A text/plain body would reach the schema as a string; only JSON is spoken here.
  app.removeContentTypeParser('text/plain');

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'sdd team server',
        version: options.version ?? '1',
        description:
          'The tracker of a team: items, dependencies, ready work and claims, and recorded sessions, per project.',
      },
      components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
      security: [{ token: [] }],
    },
  });

  const context: RouteContext = { team: options.team, projects: new ProjectServices(options.team) };
  // Live sessions (`sdd watch`): several processes on one database share them through the store's relay.
  const live = new LiveHub(options.team, (await options.team.liveRelay?.()) ?? null, log);
  app.decorateRequest('principal', null);
  app.setErrorHandler(errorHandler(log));
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new NotFoundError(`No such endpoint: ${request.method} ${request.url.split('?')[0]}.`)),
  );
  // Answers given while closing say `Connection: close`, so their sockets go with them instead of
  // lingering as kept-alive ones and holding close() up until keepAliveTimeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  const closeLiveSockets = acceptLiveSockets(app as unknown as ApiApp, context, live);
  app.addHook('preClose', async () => closeLiveSockets());
  app.addHook('onClose', async () => live.close());
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (request, reply) => {
    log(`${request.method} ${request.url} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms`);
  });

  await app.register(
    async (api) => {
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      await api.register(async (secured) => {
        secured.addHook('onRequest', async (request) => {
          request.principal = await authenticate(options.team, request);
        });
        const typed = secured as unknown as ApiApp;
        projectRoutes(typed, context);
        itemRoutes(typed, context);
        decisionRoutes(typed, context);
        workRoutes(typed, context);
        treeChangeRoutes(typed, context);
        epicRoutes(typed, context);
        contextRoutes(typed, context);
        sessionSearchRoutes(typed, context);
        liveRoutes(typed, context, live);
        // In a scope of their own: only these routes take raw bytes.
        await typed.register(async (sessions) => {
          const appendBytes = options.sessionAppendLimit ?? DEFAULT_SESSION_APPEND_LIMIT;
          acceptBytes(sessions, appendBytes);
          sessionRoutes(sessions, context, {
            appendBytes,
            sessionBytes: options.sessionSizeLimit ?? DEFAULT_SESSION_SIZE_LIMIT,
            readBytes: options.sessionReadLimit ?? DEFAULT_SESSION_READ_LIMIT,
          });
        });
      });
    },
    { prefix: API_PREFIX },
  );
  return app as unknown as ApiApp;
}
