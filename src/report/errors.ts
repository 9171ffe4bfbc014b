/** Errors of the report stage; each names what failed and keeps the cause. */

/** The lake could not be read (missing object, unreadable Parquet, bad manifest). */
export class LakeReadError extends Error {
  override readonly name = 'LakeReadError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A template could not be loaded or rendered. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** SES v2 refused or failed to send the report. */
export class EmailError extends Error {
  override readonly name = 'EmailError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Writing report.html / report.txt / queries.sql / sent.json failed. */
export class ReportWriteError extends Error {
  override readonly name = 'ReportWriteError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
