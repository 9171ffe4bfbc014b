/**
 * Errors of the collect stage. SDK errors are translated where the SDK is called
 * ({@link translateAwsError}), so the export loop only decides by class.
 */

/** Base class: something went wrong talking to AWS for one account/region. */
export class CollectError extends Error {
  override readonly name: string = 'CollectError';
  /** The AWS error name (`AccessDeniedException`, …) when there was one. */
  readonly awsCode: string | undefined;
  constructor(message: string, options?: { cause?: unknown; awsCode?: string }) {
    super(message, options);
    this.awsCode = options?.awsCode;
  }
}

/** The caller may not do this (IAM, SCP, trust policy, not the administrator). */
export class AccessDeniedError extends CollectError {
  override readonly name = 'AccessDeniedError';
}

/** The region is not enabled for the account (opt-in region): AWS answers that the token is invalid. */
export class RegionDisabledError extends CollectError {
  override readonly name = 'RegionDisabledError';
}

/** The SDK's adaptive retry gave up under throttling. */
export class ThrottledError extends CollectError {
  override readonly name = 'ThrottledError';
}

/** Organizations could not list the accounts (the run cannot start without them). */
export class OrganizationsError extends CollectError {
  override readonly name = 'OrganizationsError';
}

const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'AccessDeniedForDependencyException', 'AWSOrganizationsNotInUseException', 'UnauthorizedOperation']);
const REGION_DISABLED = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'OptInRequired', 'RegionDisabledException']);
const THROTTLED = new Set(['ThrottlingException', 'TooManyRequestsException', 'Throttling', 'RequestLimitExceeded', 'TooManyRequests']);

interface AwsErrorLike {
  name?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** The AWS error name of an SDK error, or undefined for anything else. */
export function awsErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as AwsErrorLike;
  return typeof e.name === 'string' && '$metadata' in e ? e.name : undefined;
}

/** True for errors the SDK treats as throttling (429 or a throttling error name). */
export function isThrottle(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as AwsErrorLike;
  return (typeof e.name === 'string' && THROTTLED.has(e.name)) || e.$metadata?.httpStatusCode === 429;
}

/**
 * Translates an SDK error into a {@link CollectError} subclass with `what` (the call and where) in
 * its message; non-AWS errors and already translated ones pass through unchanged.
 */
export function translateAwsError(error: unknown, what: string): unknown {
  if (error instanceof CollectError) return error;
  const code = awsErrorCode(error);
  if (code === undefined) return error;
  const detail = error instanceof Error ? error.message : String(error);
  const message = `${what}: ${code}: ${detail}`;
  if (ACCESS_DENIED.has(code)) return new AccessDeniedError(message, { cause: error, awsCode: code });
  if (REGION_DISABLED.has(code)) return new RegionDisabledError(message, { cause: error, awsCode: code });
  if (isThrottle(error)) return new ThrottledError(message, { cause: error, awsCode: code });
  return new CollectError(message, { cause: error, awsCode: code });
}

/** Runs an SDK call and translates what it throws. */
export async function awsCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateAwsError(error, what);
  }
}
