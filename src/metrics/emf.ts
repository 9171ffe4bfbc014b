import { MetricsError } from './errors.js';
import type { RunManifest } from '../lake/types.js';
import {
  METRIC, NAMESPACE, UNIT,
  type EmfRecord, type MetricCommand, type MetricDefinition, type MetricName, type MetricUnit,
} from './types.js';

/** CloudWatch accepts at most 30 dimensions per set; we stay far below on purpose. */
const MAX_DIMENSIONS = 30;

export interface EmfOptions {
  /**
   * Extra low-cardinality dimensions added to the `Command` dimension (e.g. `{ Shard: '0/4' }`).
   * Never an account id, finding id or run id: each distinct value is a separate billed metric.
   * @default {}
   */
  dimensions?: Readonly<Record<string, string>>;
  /** Plain members searchable in Logs Insights but not metrics (run_id goes here). @default {} */
  properties?: Readonly<Record<string, string | number | boolean>>;
  /** Epoch milliseconds of the record. @default Date.now() */
  timestamp?: number;
}

/** Collects metric values and writes them as a single EMF record, once. */
export class EmfBuffer {
  private readonly values = new Map<MetricName, { unit: MetricUnit; value: number }>();
  private readonly dimensions: Record<string, string>;
  private readonly properties: Record<string, string | number | boolean>;
  private flushed = false;

  constructor(private readonly command: MetricCommand, private readonly options: EmfOptions = {}) {
    this.dimensions = { ...options.dimensions };
    this.properties = { ...options.properties };
    if (Object.keys(this.dimensions).length + 1 > MAX_DIMENSIONS) throw new MetricsError(`at most ${MAX_DIMENSIONS - 1} extra EMF dimensions`);
  }

  /** Sets (not adds) a metric; a non-finite value is recorded as 0 so the record stays valid. */
  put(name: MetricName, value: number, unit: MetricUnit = UNIT.Count): this {
    this.values.set(name, { unit, value: Number.isFinite(value) ? value : 0 });
    return this;
  }

  property(name: string, value: string | number | boolean): this {
    this.properties[name] = value;
    return this;
  }

  get size(): number {
    return this.values.size;
  }

  toRecord(): EmfRecord {
    const metrics: MetricDefinition[] = [...this.values].map(([Name, { unit }]) => ({ Name, Unit: unit }));
    const record: Record<string, unknown> = {
      _aws: {
        Timestamp: this.options.timestamp ?? Date.now(),
        CloudWatchMetrics: [{ Namespace: NAMESPACE, Dimensions: [['Command', ...Object.keys(this.dimensions)]], Metrics: metrics }],
      },
      ...this.properties,
      Command: this.command,
      ...this.dimensions,
    };
    for (const [name, { value }] of this.values) record[name] = value;
    return record as EmfRecord;
  }

  /**
   * Writes the record (if any metric was put) and marks the buffer spent; later calls do nothing.
   * Call it in `finally`, so a failed run still reports what it did.
   */
  flush(stream: NodeJS.WritableStream): void {
    if (this.flushed) return;
    this.flushed = true;
    if (this.values.size > 0) writeEmf(this.toRecord(), stream);
  }
}

/** Writes one EMF record as one JSON line. */
export function writeEmf(record: EmfRecord, stream: NodeJS.WritableStream): void {
  stream.write(`${JSON.stringify(record)}\n`);
}

export interface RunExtras extends EmfOptions {
  /** Throttled requests the SDK retried; defaults to the sum of the slices' `throttles`. */
  throttles?: number;
}

/** The export/import run's metrics, straight from its manifest (the numbers analysts see in `runs/`). */
export function emfRecordForRun(manifest: RunManifest, extra: RunExtras = {}): EmfRecord {
  return runBuffer(manifest, extra).toRecord();
}

/** Same as {@link emfRecordForRun}, as a buffer to flush in `finally`. */
export function runBuffer(manifest: RunManifest, extra: RunExtras = {}): EmfBuffer {
  const throttles = extra.throttles ?? manifest.slices.reduce((sum, s) => sum + (s.throttles ?? 0), 0);
  const seconds = (Date.parse(manifest.finishedAt) - Date.parse(manifest.startedAt)) / 1000;
  const buffer = new EmfBuffer(manifest.command, {
    ...extra,
    timestamp: extra.timestamp ?? (Date.parse(manifest.finishedAt) || Date.now()),
    properties: {
      run_id: manifest.runId,
      shard: `${manifest.shard.index}/${manifest.shard.count}`,
      slices: manifest.slices.length,
      ...extra.properties,
    },
  });
  return buffer
    .put(METRIC.FindingsExported, manifest.totals.findings)
    .put(METRIC.FindingsQuarantined, manifest.totals.quarantined)
    .put(METRIC.SlicesFailed, manifest.totals.failedSlices)
    .put(METRIC.SlicesWithGaps, manifest.totals.gapSlices)
    .put(METRIC.Throttles, throttles)
    .put(METRIC.DurationSeconds, Math.max(0, seconds), UNIT.Seconds)
    .put(METRIC.BytesWritten, manifest.totals.bytesWritten, UNIT.Bytes);
}

export interface ReportOutcome {
  /** True when SES accepted the email (1), false when it was not sent or failed (0). */
  sent: boolean;
  durationSeconds: number;
  bytesWritten?: number;
}

/** The weekly report's metrics: ReportSent is 0 on a failed or skipped send, so an alarm can fire on it. */
export function emfRecordForReport(outcome: ReportOutcome, options: EmfOptions = {}): EmfRecord {
  return reportBuffer(outcome, options).toRecord();
}

export function reportBuffer(outcome: ReportOutcome, options: EmfOptions = {}): EmfBuffer {
  const buffer = new EmfBuffer('report', options)
    .put(METRIC.ReportSent, outcome.sent ? 1 : 0)
    .put(METRIC.DurationSeconds, Math.max(0, outcome.durationSeconds), UNIT.Seconds);
  if (outcome.bytesWritten !== undefined) buffer.put(METRIC.BytesWritten, outcome.bytesWritten, UNIT.Bytes);
  return buffer;
}

/**
 * The record of a run that threw before it had a manifest: `RunFailed` 1 and nothing else, so the
 * "did not run" alarm (no DurationSeconds) still fires while the failure is counted.
 */
export function failedRunBuffer(command: MetricCommand, options: EmfOptions = {}): EmfBuffer {
  return new EmfBuffer(command, options).put(METRIC.RunFailed, 1);
}
