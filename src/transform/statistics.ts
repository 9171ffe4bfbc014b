/** GetFindingsStatistics response → `finding_statistics` rows (one per group). */
import type { GetFindingsStatisticsResponse } from '@aws-sdk/client-guardduty';
import { MalformedRecordError } from './errors.js';
import { bigint, double, emptyRow, field, list, text, timestamp } from './records.js';
import { FINDING_STATISTICS_TABLE } from './tables.js';
import type { Row } from './types.js';

export const STATISTICS_GROUPS = ['COUNT_BY_SEVERITY', 'ACCOUNT', 'DATE', 'FINDING_TYPE', 'RESOURCE', 'SEVERITY'] as const;
export type StatisticsGroup = (typeof STATISTICS_GROUPS)[number];

export interface StatisticsContext {
  readonly sourceAccountId: string;
  readonly region: string;
  readonly detectorId: string;
  readonly runId: string;
  readonly capturedAt: Date;
  /** Window the statistics were asked for (null/absent: all time). */
  readonly windowStart?: Date | null;
  readonly windowEnd?: Date | null;
}

function base(ctx: StatisticsContext, groupBy: StatisticsGroup, groupKey: string): Row {
  const row = emptyRow(FINDING_STATISTICS_TABLE);
  row['source_account_id'] = ctx.sourceAccountId;
  row['region'] = ctx.region;
  row['detector_id'] = ctx.detectorId;
  row['group_by'] = groupBy;
  row['group_key'] = groupKey;
  row['window_start'] = ctx.windowStart ?? null;
  row['window_end'] = ctx.windowEnd ?? null;
  row['captured_at'] = ctx.capturedAt;
  row['run_id'] = ctx.runId;
  return row;
}

function count(v: unknown, where: string): bigint {
  const n = bigint(v);
  if (n === null) throw new MalformedRecordError(`${where}: TotalFindings missing or not a number`, { kind: 'statistics group' });
  return n;
}

function dateKey(d: Date | null, raw: unknown): string {
  return d ? d.toISOString().slice(0, 10) : String(raw);
}

/**
 * One row per group of a GetFindingsStatistics response: the legacy `CountBySeverity` map (keys are
 * severities as text, e.g. "5.0") and each `GroupedBy*` list. Throws MalformedRecordError for a group
 * without a count.
 */
export function statisticsRows(response: GetFindingsStatisticsResponse | Record<string, unknown>, ctx: StatisticsContext): Row[] {
  const stats = field(response, 'FindingStatistics');
  if (stats === null || typeof stats !== 'object') return [];
  const rows: Row[] = [];
  const bySeverity = field(stats, 'CountBySeverity');
  if (bySeverity !== null && typeof bySeverity === 'object') {
    for (const [key, value] of Object.entries(bySeverity as Record<string, unknown>)) {
      const row = base(ctx, 'COUNT_BY_SEVERITY', key);
      row['severity'] = double(key);
      row['count'] = count(value, `CountBySeverity[${key}]`);
      rows.push(row);
    }
  }
  for (const g of list(field(stats, 'GroupedByAccount'))) {
    const account = text(field(g, 'AccountId'));
    const row = base(ctx, 'ACCOUNT', account ?? '');
    row['account_id'] = account;
    row['last_generated_at'] = timestamp(field(g, 'LastGeneratedAt'));
    row['count'] = count(field(g, 'TotalFindings'), 'GroupedByAccount');
    rows.push(row);
  }
  for (const g of list(field(stats, 'GroupedByDate'))) {
    const raw = field(g, 'Date');
    const date = timestamp(raw);
    const row = base(ctx, 'DATE', dateKey(date, raw));
    row['date'] = date;
    row['severity'] = double(field(g, 'Severity'));
    row['last_generated_at'] = timestamp(field(g, 'LastGeneratedAt'));
    row['count'] = count(field(g, 'TotalFindings'), 'GroupedByDate');
    rows.push(row);
  }
  for (const g of list(field(stats, 'GroupedByFindingType'))) {
    const type = text(field(g, 'FindingType'));
    const row = base(ctx, 'FINDING_TYPE', type ?? '');
    row['finding_type'] = type;
    row['last_generated_at'] = timestamp(field(g, 'LastGeneratedAt'));
    row['count'] = count(field(g, 'TotalFindings'), 'GroupedByFindingType');
    rows.push(row);
  }
  for (const g of list(field(stats, 'GroupedByResource'))) {
    const resource = text(field(g, 'ResourceId'));
    const row = base(ctx, 'RESOURCE', resource ?? '');
    row['account_id'] = text(field(g, 'AccountId'));
    row['resource_id'] = resource;
    row['resource_type'] = text(field(g, 'ResourceType'));
    row['last_generated_at'] = timestamp(field(g, 'LastGeneratedAt'));
    row['count'] = count(field(g, 'TotalFindings'), 'GroupedByResource');
    rows.push(row);
  }
  for (const g of list(field(stats, 'GroupedBySeverity'))) {
    const severity = double(field(g, 'Severity'));
    const row = base(ctx, 'SEVERITY', severity === null ? '' : severity.toFixed(1));
    row['severity'] = severity;
    row['last_generated_at'] = timestamp(field(g, 'LastGeneratedAt'));
    row['count'] = count(field(g, 'TotalFindings'), 'GroupedBySeverity');
    rows.push(row);
  }
  return rows;
}
