/** Errors of the transform stage. */

/** A record (statistics group, investigation, investigation record) that cannot become a row. Callers quarantine it. */
export class MalformedRecordError extends Error {
  override readonly name: string = 'MalformedRecordError';
  /** Short reason kept beside the raw record in quarantine, e.g. `missing id`. */
  readonly reason: string;
  constructor(reason: string, options?: { cause?: unknown; kind?: string }) {
    super(`malformed ${options?.kind ?? 'record'}: ${reason}`, options);
    this.reason = reason;
  }
}

/** A finding that cannot become a row (not an object, a required field missing or unparseable). Callers quarantine it. */
export class MalformedFindingError extends MalformedRecordError {
  override readonly name: string = 'MalformedFindingError';
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, { ...options, kind: 'finding' });
  }
}

/** Encoding rows to Arrow/Parquet failed (a bug or a value the schema cannot hold). */
export class ParquetEncodeError extends Error {
  override readonly name = 'ParquetEncodeError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
