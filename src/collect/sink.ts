/**
 * What the export pipeline needs from the lake: durable writes of one slice's data, the slice's
 * state (watermark, in-flight window, finished investigations) and the run manifest. The lake-backed
 * implementation is in lake-sink.ts; the interface keeps the pipeline testable and the ordering rule
 * (data durable → then watermark) in one place (slice.ts).
 */
import type { Finding } from '@aws-sdk/client-guardduty';
import type { RunManifest, Watermark } from '../lake/types.js';
import type { InvestigationDetail } from './investigations.js';
import type { StatisticsResult } from './statistics.js';

/** A slice's export window; ISO instants. */
export interface SliceScope {
  readonly accountId: string;
  readonly region: string;
  readonly detectorId: string;
  /** Account whose detector returned the data (administrator or the account itself). */
  readonly sourceAccountId: string;
  readonly windowStart: string;
  readonly windowEnd: string;
  /** Stamped on every row. */
  readonly runId: string;
}

export interface FindingsWritten {
  readonly findings: number;
  readonly quarantined: number;
  readonly bytes: number;
  readonly objects: number;
}

export interface TableWritten {
  readonly rows: number;
  readonly bytes: number;
}

/** A window a run started and did not finish; a rerun reuses it so it writes the same keys. */
export interface InflightWindow {
  readonly accountId: string;
  readonly region: string;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly runId: string;
  /**
   * Every account whose findings the window's files hold (delegated-admin: the whole group). A
   * resumed window is exported again for all of them, so its files are rewritten whole even when
   * some of them already advanced their watermark before the crash.
   */
  readonly accounts?: readonly string[];
}

export interface ExportSink {
  readWatermark(accountId: string, region: string): Promise<Watermark | undefined>;
  /** Called only after everything of the slice's window is durable. */
  advanceWatermark(watermark: Watermark): Promise<Watermark>;
  readInflight(accountId: string, region: string): Promise<InflightWindow | undefined>;
  writeInflight(window: InflightWindow): Promise<void>;
  clearInflight(accountId: string, region: string): Promise<void>;
  /**
   * Flattens and writes the findings into `findings/dt=<UTC date of updated_at>/…` objects and
   * quarantines malformed ones; resolves once all of it is durable. `onFinding` sees every finding.
   */
  writeFindings(scope: SliceScope, batches: AsyncIterable<Finding[]>, onFinding?: (finding: Finding) => void): Promise<FindingsWritten>;
  writeStatistics(scope: SliceScope, results: readonly StatisticsResult[], window: { start: string; end: string }): Promise<TableWritten>;
  writeInvestigations(scope: Omit<SliceScope, 'windowStart' | 'windowEnd'>, details: readonly InvestigationDetail[]): Promise<{ investigations: TableWritten; records: TableWritten }>;
  /** Investigation ids the lake holds in a final state (COMPLETED/FAILED) for a detector. */
  readFinishedInvestigations(accountId: string, region: string): Promise<Set<string>>;
  writeFinishedInvestigations(accountId: string, region: string, ids: ReadonlySet<string>): Promise<void>;
  writeManifest(manifest: RunManifest): Promise<void>;
}
