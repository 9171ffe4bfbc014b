/** Errors of the lake stage. Each sets `name` and keeps the underlying error as `cause`. */

/** The lake URI cannot be opened (not `s3://bucket[/prefix]` nor a directory path). */
export class LakeUriError extends Error {
  override readonly name = 'LakeUriError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A key that would escape the lake root or is not a plain relative key (`..`, leading `/`, `\`). */
export class LakeKeyError extends Error {
  override readonly name = 'LakeKeyError';
  constructor(readonly key: string, message: string) {
    super(message);
  }
}

/** A store operation failed; `operation` and `location` say what and where, `cause` holds the SDK or fs error. */
export class LakeStoreError extends Error {
  override readonly name = 'LakeStoreError';
  constructor(
    readonly operation: 'put' | 'get' | 'list' | 'delete',
    readonly location: string,
    options: { cause: unknown },
  ) {
    super(`lake ${operation} ${location} failed: ${describe(options.cause)}`, options);
  }
}

/** A state object (watermark, manifest) exists but does not have the expected shape. */
export class LakeStateError extends Error {
  override readonly name = 'LakeStateError';
  constructor(readonly location: string, message: string, options?: { cause?: unknown }) {
    super(`${location}: ${message}`, options);
  }
}

/** An import source cannot be read (missing path, unsupported extension, read error). */
export class ImportSourceError extends Error {
  override readonly name = 'ImportSourceError';
  constructor(readonly path: string, message: string, options?: { cause?: unknown }) {
    super(`${path}: ${message}`, options);
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { Code?: unknown; code?: unknown }).Code ?? (cause as { code?: unknown }).code;
    const name = cause.name !== 'Error' ? cause.name : typeof code === 'string' ? code : 'Error';
    return `${name}: ${cause.message}`;
  }
  return String(cause);
}
