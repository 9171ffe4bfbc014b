/**
 * Contracts of the lake stage: the same layout on S3 and in a local directory.
 *
 * Layout (keys relative to the lake root):
 *   findings/dt=YYYY-MM-DD/<file>.parquet            dt = UTC date of updated_at
 *   finding_statistics/dt=YYYY-MM-DD/<file>.parquet  dt = UTC date of the run
 *   investigations/dt=…/, investigation_records/dt=…/
 *   quarantine/dt=YYYY-MM-DD/<file>.jsonl             raw record + reason, one per line
 *   runs/dt=YYYY-MM-DD/<run_id>.json                  run manifest
 *   _state/watermarks/<account>/<region>.json         per-slice watermark
 *   reports/<YYYY-Www>/report.html | report.txt | queries.sql | sent.json
 */

export interface PutOptions {
  contentType?: string;
}

/** Object storage with atomic puts: a partially written object is never visible under its final key. */
export interface LakeStore {
  /** The lake URI it was opened with (`s3://bucket/prefix` or an absolute directory). */
  readonly uri: string;
  put(key: string, body: Uint8Array | string | AsyncIterable<Uint8Array>, options?: PutOptions): Promise<void>;
  /** undefined when the key does not exist. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Keys under a prefix, recursively, in lexicographic order. */
  list(prefix: string): AsyncIterable<string>;
  delete(key: string): Promise<void>;
  /** A path or URL a reader (DuckDB, Athena) can open for this key. */
  locate(key: string): string;
}

/** Progress of one (account, region) slice; advanced only after its data is durable. */
export interface Watermark {
  readonly accountId: string;
  readonly region: string;
  /** Findings with updatedAt <= this instant are in the lake. ISO-8601. */
  readonly updatedThrough: string;
  readonly runId: string;
}

export type SliceStatus = 'ok' | 'no-detector' | 'detector-suspended' | 'region-disabled' | 'access-denied' | 'failed' | 'skipped';

/** One (account, region) line of a run manifest. */
export interface SliceReport {
  readonly accountId: string;
  readonly accountName?: string;
  readonly region: string;
  readonly status: SliceStatus;
  readonly detectorId?: string;
  readonly error?: string;
  readonly findings: number;
  readonly quarantined: number;
  readonly statistics: number;
  readonly investigations: number;
  readonly windowStart?: string;
  readonly windowEnd?: string;
  readonly watermarkBefore?: string;
  readonly watermarkAfter?: string;
  readonly durationMs: number;
  readonly throttles?: number;
}

export interface RunManifest {
  readonly runId: string;
  readonly command: 'export' | 'import';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly shard: { index: number; count: number };
  readonly mode?: 'delegated-admin' | 'assume-role';
  readonly accounts: ReadonlyArray<{ id: string; name?: string; status?: string }>;
  /** Coverage and counts per (account, region); in delegated-admin mode derived from `units`. */
  readonly slices: readonly SliceReport[];
  /**
   * delegated-admin mode only: the units of work, one per region — the administrator's detector
   * there, queried once for every covered member. They carry the watermark, window, quarantined
   * and statistics counts; `accountId` is the administrator's.
   */
  readonly units?: readonly SliceReport[];
  readonly totals: { findings: number; quarantined: number; statistics: number; investigations: number; investigationRecords: number; investigationsCreated: number; failedSlices: number; gapSlices: number; bytesWritten: number };
  readonly regionsSkipped?: ReadonlyArray<{ region: string; reason: string }>;
  readonly investigationsCreated?: ReadonlyArray<{ accountId: string; region: string; findingId: string; investigationId: string }>;
  /** Only on `import` runs: what was read. */
  readonly import?: ImportDetails;
}

/** Details of an `import` run (its slices are the (account, region) pairs of the imported findings). */
export interface ImportDetails {
  readonly files: number;
  readonly failedFiles: number;
  /** Files with the same bytes as one imported earlier in the run (imported once). */
  readonly duplicateFiles: number;
  /** Files under the given directories that are not .json/.jsonl/.jsonl.gz. */
  readonly ignoredFiles: number;
  /** JSON values read (lines or documents). */
  readonly records: number;
  /** EventBridge envelopes with an empty `detail`: nothing to import. */
  readonly emptyEnvelopes: number;
  /** GetFindingsStatistics responses: not findings, counted and left out. */
  readonly statisticsResponses: number;
  readonly aborted: boolean;
  readonly sources: ReadonlyArray<{ path: string; hash: string; status: 'ok' | 'duplicate' | 'failed'; findings: number; quarantined: number; error?: string; duplicateOf?: string }>;
}
