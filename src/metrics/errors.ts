/** A metric record could not be built (e.g. too many dimensions); metrics never fail a run on their own. */
export class MetricsError extends Error {
  override readonly name = 'MetricsError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
