/**
 * CloudWatch Embedded Metric Format (EMF): one JSON object per line on stdout; CloudWatch Logs
 * turns the members named under `_aws.CloudWatchMetrics` into metrics, without any API call.
 */

export const NAMESPACE = 'GuardDutyLake';

/** The metric names operators alarm on (see docs/operations.md). */
export const METRIC = {
  FindingsExported: 'FindingsExported',
  FindingsQuarantined: 'FindingsQuarantined',
  SlicesFailed: 'SlicesFailed',
  SlicesWithGaps: 'SlicesWithGaps',
  Throttles: 'Throttles',
  DurationSeconds: 'DurationSeconds',
  BytesWritten: 'BytesWritten',
  ReportSent: 'ReportSent',
  /** 1 when a command threw before it could finish (no manifest, no DurationSeconds). */
  RunFailed: 'RunFailed',
} as const;
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

export const UNIT = { Count: 'Count', Seconds: 'Seconds', Bytes: 'Bytes' } as const;
export type MetricUnit = (typeof UNIT)[keyof typeof UNIT];

/** The command that emitted the record: the one dimension every record carries. */
export type MetricCommand = 'export' | 'import' | 'report';

export interface MetricDefinition {
  readonly Name: MetricName;
  readonly Unit: MetricUnit;
}

export interface EmfDirective {
  readonly Namespace: string;
  /** Each inner array is one dimension set; every name in it is a top-level member of the record. */
  readonly Dimensions: ReadonlyArray<readonly string[]>;
  readonly Metrics: readonly MetricDefinition[];
}

/** One EMF log line. Metric values, dimension values and plain properties are top-level members. */
export interface EmfRecord {
  readonly _aws: { readonly Timestamp: number; readonly CloudWatchMetrics: readonly EmfDirective[] };
  readonly [member: string]: unknown;
}
