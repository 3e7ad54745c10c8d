// Raw HTTP requests to a test server, byte for byte as sent: for the requests a well-behaved client
// (RemoteService) never makes — no token, bad JSON, wrong content types, path tricks.

import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface RawRequest {
  method?: string;
  /** Sent as is, without any encoding: `/api/v1/projects/%2E%2E`. */
  path: string;
  token?: string | null;
  /** An object is sent as JSON; a string or Buffer as it is. */
  body?: unknown;
  contentType?: string | null;
  headers?: http.OutgoingHttpHeaders;
}

export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const payload =
    request.body === undefined
      ? undefined
      : typeof request.body === 'string' || Buffer.isBuffer(request.body)
        ? Buffer.from(request.body)
        : Buffer.from(JSON.stringify(request.body));
  const headers: http.OutgoingHttpHeaders = { ...request.headers };
  if (payload) {
    headers['content-length'] = payload.length;
    if (request.contentType !== null) headers['content-type'] = request.contentType ?? 'application/json';
  }
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method ?? (payload ? 'POST' : 'GET'),
        path: request.path,
        headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The `{ error: { code, message } }` of a failed response, or a failure of the test when it has none. */
export function errorOf(response: RawResponse): { code: string; message: string; details?: unknown } {
  const error = (response.json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string') {
    throw new Error(`expected an sdd error body, got ${response.status}: ${response.text.slice(0, 300)}`);
  }
  return error as { code: string; message: string };
}
