/** Errors of the transform stage. */

/** A record that cannot become a row (not an object, a required field missing or unparseable). Callers quarantine it. */
export class MalformedFindingError extends Error {
  override readonly name = 'MalformedFindingError';
  /** Short reason kept beside the raw record in quarantine, e.g. `missing id`. */
  readonly reason: string;
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`malformed finding: ${reason}`, options);
    this.reason = reason;
  }
}

/** Encoding rows to Arrow/Parquet failed (a bug or a value the schema cannot hold). */
export class ParquetEncodeError extends Error {
  override readonly name = 'ParquetEncodeError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
