/**
 * One node:http server for every emulated service. A request is routed by the service name in its
 * SigV4 credential scope, its caller is found from the access key, then latency, faults and the rate
 * limit apply before the service module answers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { expiredToken, invalidToken, ServiceError, throttled } from './errors.js';
import { RateLimiter } from './rate-limit.js';
import { Rng } from './random.js';
import type { EmulatorRequest, Reply, ServiceContext, ServiceModule } from './protocol.js';
import type { EmulatorCounters } from './types.js';

const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

export interface ServerParts {
  modules: ServiceModule[];
  context: ServiceContext;
  counters: EmulatorCounters;
  latencyMs: number;
  rateLimit: number;
  /** Seeds the request ids, so responses (STS bodies carry them) repeat byte for byte. */
  seed: number;
  /** Called with unexpected (non-ServiceError) failures. */
  onError?: (error: unknown) => void;
}

export function createEmulatorServer(parts: ServerParts): Server {
  const bySigningName = new Map(parts.modules.map((m) => [m.signingName, m]));
  const limiter = new RateLimiter(parts.rateLimit);
  let requests = 0;
  const requestId = (): string => {
    const rng = new Rng(parts.seed, 0x7e, requests++);
    return `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-a${rng.hex(3)}-${rng.hex(12)}`;
  };
  return createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      parts.onError?.(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'emulator failure', __type: 'InternalServerErrorException' }));
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://emulator');
    const scope = CREDENTIAL.exec(String(req.headers.authorization ?? ''));
    const request: EmulatorRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks),
      accessKeyId: scope?.[1] ?? '',
      region: scope?.[2] ?? '',
      service: scope?.[3] ?? '',
      requestId: requestId(),
    };
    const module = bySigningName.get(request.service);
    if (!scope || !module) {
      send(res, {
        status: 403, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'MissingAuthenticationTokenException' },
        body: JSON.stringify({ message: 'Missing or unknown SigV4 credential scope', __type: 'MissingAuthenticationTokenException' }),
      });
      return;
    }
    send(res, await answer(module, request));
  }

  async function answer(module: ServiceModule, req: EmulatorRequest): Promise<Reply> {
    const { context, counters } = parts;
    try {
      const op = module.operation(req);
      if (op === undefined) throw new ServiceError(404, 'UnknownOperationException', `Unknown operation ${req.method} ${req.path}`);
      const opKey = `${module.signingName}:${op}`;
      counters.calls++;
      counters.byOperation[opKey] = (counters.byOperation[opKey] ?? 0) + 1;
      if (parts.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, parts.latencyMs));
      const caller = context.keys.get(req.accessKeyId);
      if (!caller) throw invalidToken();
      if (context.faults.expiredKeys.has(caller.accessKeyId) || (caller.expiresAt !== undefined && Date.now() >= caller.expiresAt)) throw expiredToken();
      module.admit?.(op, req, caller, context);
      if (!limiter.take(`${caller.accountId}/${req.region}/${opKey}`)) {
        counters.throttled++;
        throw throttled();
      }
      return await module.handle(op, req, caller, context);
    } catch (error) {
      if (error instanceof ServiceError) return module.error(error, req);
      throw error;
    }
  }
}

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(reply.body)) });
  res.end(reply.body);
}
