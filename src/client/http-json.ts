// One request to the team server (JSON, or raw bytes for session files), and its failure turned
// back into the SddError the server sent (same code, so the same exit code as embedded) or into
// UnreachableError when nothing answered.
// node:http rather than fetch: fetch loads undici on first use, tens of ms a CLI command would pay.

import http from 'node:http';
import https from 'node:https';
import { InvalidInputError, sddErrorFromJSON, UnreachableError } from '../core/errors.js';

export interface JsonRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path under the server's URL, query included, e.g. /api/v1/projects/p/ready?limit=5. */
  path: string;
  body?: unknown;
}

export interface ServerConnection {
  url: string;
  token: string | null;
  /** No answer within this long: UnreachableError. */
  timeoutMs?: number;
}

/** The connection of a client made with these options (a timeout only when one is given). */
export function connectionOf(options: {
  url: string;
  token: string | null;
  timeoutMs?: number;
}): ServerConnection {
  return {
    url: options.url,
    token: options.token,
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
  };
}

const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

export function checkServerUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInputError(
      `"${url}" is not a URL; give the server as http://host:port or https://host.`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InvalidInputError(`"${url}" is not an http:// or https:// URL.`);
  }
  return parsed;
}

export function requestJson<T>(connection: ServerConnection, request: JsonRequest): Promise<T> {
  const payload = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body));
  return send(connection, request.method, request.path, payload, 'application/json').then(
    ({ status, body, where }) => {
      const text = body.toString('utf8');
      let value: unknown;
      try {
        value = text === '' ? undefined : JSON.parse(text);
      } catch {
        throw new UnreachableError(
          `${where} answered ${status} with something that is not sdd's JSON; is it an sdd server?`,
        );
      }
      if (status >= 200 && status < 300) return value as T;
      throw errorOf(value, status, where);
    },
  );
}

export interface BytesRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  /** Sent as application/octet-stream. */
  body?: Uint8Array;
}

/**
 * A request whose body or answer is raw bytes (a session's files): sent as application/octet-stream,
 * answered with the bytes on success (or JSON, when the route answers JSON), an sdd error otherwise.
 */
export async function requestBytes(
  connection: ServerConnection,
  request: BytesRequest,
): Promise<{ bytes: Buffer; headers: http.IncomingHttpHeaders }> {
  const payload =
    request.body === undefined
      ? undefined
      : Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
  const { status, body, where, headers } = await send(
    connection,
    request.method,
    request.path,
    payload,
    'application/octet-stream',
  );
  if (status >= 200 && status < 300) return { bytes: body, headers };
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    value = undefined;
  }
  throw errorOf(value, status, where);
}

function errorOf(body: unknown, status: number, where: string): Error {
  const error = (body as { error?: { code?: string; message?: string; details?: Record<string, unknown> } })
    ?.error;
  return error?.code
    ? sddErrorFromJSON(error)
    : new UnreachableError(`${where} answered ${status} without an sdd error; is it an sdd server?`);
}

interface RawAnswer {
  status: number;
  body: Buffer;
  where: string;
  headers: http.IncomingHttpHeaders;
}

function send(
  connection: ServerConnection,
  method: string,
  requestPath: string,
  payload: Buffer | undefined,
  contentType: string,
): Promise<RawAnswer> {
  const base = checkServerUrl(connection.url);
  // The path goes as written, not through a URL parser: that would fold a ref of ".." (which
  // encodeURIComponent leaves alone) into its neighbour, and /items/../claim would become /claim.
  const path = base.pathname.replace(/\/$/, '') + requestPath;
  // Errors come as JSON whatever the route answers on success.
  const accept = contentType === 'application/json' ? contentType : `${contentType}, application/json`;
  const headers: http.OutgoingHttpHeaders = { accept };
  if (payload) {
    headers['content-type'] = contentType;
    headers['content-length'] = payload.length;
  }
  if (connection.token) headers.authorization = `Bearer ${connection.token}`;
  const transport = base.protocol === 'https:' ? https : http;
  const timeoutMs = connection.timeoutMs ?? 30_000;
  const where = `${base.origin}`;

  return new Promise<RawAnswer>((resolve, reject) => {
    const req = transport.request(
      {
        protocol: base.protocol,
        hostname: base.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: base.port,
        path,
        method,
        headers,
        agent: agents[base.protocol as 'http:' | 'https:'],
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) =>
          reject(new UnreachableError(`The connection to ${where} broke: ${error.message}.`)),
        );
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), where, headers: res.headers }),
        );
      },
    );
    req.setTimeout(timeoutMs, () => {
      req.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'ECONNREFUSED'
          ? 'nothing listens there'
          : error.code === 'ENOTFOUND'
            ? 'no such host'
            : error.message;
      reject(
        new UnreachableError(
          `Cannot reach the sdd server at ${where} (${why}); is it running? \`sdd remote show\` says which server this project uses.`,
        ),
      );
    });
    req.end(payload);
  });
}

/** A query string of the defined values: ?epic=x&limit=5, or '' when there is none. */
export function queryString(values: Record<string, string | number | boolean | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
