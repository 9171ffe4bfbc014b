/** What the server hands each service module, and small helpers shared by them. */
import type { IncomingHttpHeaders } from 'node:http';
import { badRequest, type ServiceError } from './errors.js';
import type { KeyStore, IssuedKey } from './credentials.js';
import type { World } from './world.js';
import type { EmulatorFaults, SentEmail } from './types.js';

export interface EmulatorRequest {
  method: string;
  /** Decoded path without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** From the SigV4 credential scope. */
  region: string;
  /** Signing name from the SigV4 credential scope (guardduty, organizations, sts, ses). */
  service: string;
  accessKeyId: string;
  requestId: string;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ServiceContext {
  world: World;
  keys: KeyStore;
  faults: EmulatorFaults;
  sentEmails: SentEmail[];
  /** The emulated clock: `now` at start, advancing with real time. */
  clock(): number;
}

export interface ServiceModule {
  /** SigV4 signing name this module answers. */
  signingName: string;
  /** Operation name for routing, counters and rate limiting; undefined = unknown operation. */
  operation(req: EmulatorRequest): string | undefined;
  /** Checks before the call is served (region opt-in, injected faults); throws ServiceError. */
  admit?(op: string, req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): void;
  handle(op: string, req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): Reply | Promise<Reply>;
  /** Renders an error in this protocol's format. */
  error(err: ServiceError, req: EmulatorRequest): Reply;
}

export function jsonReply(status: number, body: unknown, requestId: string, contentType = 'application/json'): Reply {
  return { status, headers: { 'content-type': contentType, 'x-amzn-requestid': requestId }, body: JSON.stringify(body) };
}

/** Parses a JSON request body ({} when empty); BadRequestException when it is not JSON. */
export function jsonBody(req: EmulatorRequest): Record<string, unknown> {
  if (req.body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(req.body.toString('utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new TypeError('not an object');
    return parsed as Record<string, unknown>;
  } catch (cause) {
    throw Object.assign(badRequest('The request body is not valid JSON.'), { cause });
  }
}

/** Opaque pagination token carrying an offset bound to a query. */
export function encodeToken(offset: number, scope: string): string {
  return Buffer.from(JSON.stringify({ o: offset, s: scope })).toString('base64url');
}

/** The offset in a token from {@link encodeToken}; BadRequest when it is not ours or belongs to another query. */
export function decodeToken(token: unknown, scope: string, makeError: (m: string) => ServiceError = badRequest): number {
  if (token === undefined || token === null || token === '') return 0;
  try {
    const parsed = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as { o?: unknown; s?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0 && parsed.s === scope) return parsed.o;
  } catch {
    // fall through to the error below
  }
  throw makeError('The request is rejected because the nextToken is invalid.');
}

/** One page of `items` from `offset`, with the token of the next page when there is one. */
export function page<T>(items: readonly T[], offset: number, size: number, scope: string): { items: T[]; nextToken?: string } {
  const slice = items.slice(offset, offset + size);
  const next = offset + size;
  return next < items.length ? { items: slice, nextToken: encodeToken(next, scope) } : { items: slice };
}
