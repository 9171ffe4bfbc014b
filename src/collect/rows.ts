/**
 * Rows of the statistics and investigation tables (specs in src/transform/tables.ts) from the SDK's
 * response objects. Findings rows come from the transform stage's flattenFinding.
 */
import type { FindingStatistics, Investigation, InvestigationRecord, InvestigationStatus } from '@aws-sdk/client-guardduty';
import type { Row } from '../transform/types.js';

export interface TableRowContext {
  readonly sourceAccountId: string;
  readonly region: string;
  readonly detectorId: string;
  readonly runId: string;
  /** When the data was read. */
  readonly capturedAt: Date;
}

const count = (n: number | undefined): bigint => BigInt(Math.trunc(n ?? 0));
const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

/** One row per group of every GroupedBy* list (and the legacy CountBySeverity map) of a response. */
export function statisticsRows(
  statistics: FindingStatistics,
  ctx: TableRowContext & { readonly windowStart: Date | null; readonly windowEnd: Date },
): Row[] {
  const base = (groupBy: string, groupKey: string): Row => ({
    source_account_id: ctx.sourceAccountId, region: ctx.region, detector_id: ctx.detectorId,
    group_by: groupBy, group_key: groupKey,
    account_id: null, date: null, finding_type: null, resource_id: null, resource_type: null, severity: null,
    count: 0n, last_generated_at: null,
    window_start: ctx.windowStart, window_end: ctx.windowEnd, captured_at: ctx.capturedAt, run_id: ctx.runId,
  });
  const rows: Row[] = [];
  for (const [severity, n] of Object.entries(statistics.CountBySeverity ?? {})) {
    rows.push({ ...base('COUNT_BY_SEVERITY', severity), severity: Number(severity), count: count(n) });
  }
  for (const g of statistics.GroupedBySeverity ?? []) {
    rows.push({ ...base('SEVERITY', g.Severity === undefined ? '' : g.Severity.toFixed(1)), severity: orNull(g.Severity), count: count(g.TotalFindings), last_generated_at: orNull(g.LastGeneratedAt) });
  }
  for (const g of statistics.GroupedByFindingType ?? []) {
    rows.push({ ...base('FINDING_TYPE', g.FindingType ?? ''), finding_type: orNull(g.FindingType), count: count(g.TotalFindings), last_generated_at: orNull(g.LastGeneratedAt) });
  }
  for (const g of statistics.GroupedByAccount ?? []) {
    rows.push({ ...base('ACCOUNT', g.AccountId ?? ''), account_id: orNull(g.AccountId), count: count(g.TotalFindings), last_generated_at: orNull(g.LastGeneratedAt) });
  }
  for (const g of statistics.GroupedByResource ?? []) {
    rows.push({ ...base('RESOURCE', g.ResourceId ?? ''), account_id: orNull(g.AccountId), resource_id: orNull(g.ResourceId), resource_type: orNull(g.ResourceType), count: count(g.TotalFindings), last_generated_at: orNull(g.LastGeneratedAt) });
  }
  for (const g of statistics.GroupedByDate ?? []) {
    rows.push({ ...base('DATE', g.Date === undefined ? '' : g.Date.toISOString().slice(0, 10)), date: orNull(g.Date), severity: orNull(g.Severity), count: count(g.TotalFindings), last_generated_at: orNull(g.LastGeneratedAt) });
  }
  return rows;
}

/** The investigations row of a GetInvestigation result. */
export function investigationRow(inv: Investigation, ctx: TableRowContext): Row {
  const summary = inv.SummaryData;
  const progression = summary?.ThreatAssessment?.AttackProgression ?? [];
  const mitre = progression.flatMap((phase) => (phase.Attacks ?? []).map((a) => ({
    phase: phase.Phase ?? null,
    tactic_uid: a.Tactic?.Uid ?? null, tactic_name: a.Tactic?.Name ?? null,
    technique_uid: a.Technique?.Uid ?? null, technique_name: a.Technique?.Name ?? null,
  })));
  const findingIds = new Set<string>();
  if (inv.Scope?.FindingId !== undefined) findingIds.add(inv.Scope.FindingId);
  for (const phase of progression) for (const a of phase.Attacks ?? []) for (const f of a.Findings ?? []) if (f.Uid !== undefined) findingIds.add(f.Uid);
  return {
    investigation_id: inv.InvestigationId ?? '',
    source_account_id: ctx.sourceAccountId, region: ctx.region, detector_id: ctx.detectorId,
    account_id: orNull(inv.Scope?.AccountId), admin_account_id: orNull(inv.Scope?.AdminAccountId),
    status: orNull(inv.Status), triggered_by: orNull(inv.TriggeredBy), trigger_prompt: orNull(inv.TriggerPrompt),
    risk_level: orNull(inv.RiskLevel), risk: orNull(inv.Risk), confidence: orNull(inv.Confidence),
    title: orNull(summary?.KeyObservations?.Title), summary: orNull(inv.Summary),
    narrative: orNull(summary?.KeyObservations?.Narrative), observations: orNull(summary?.KeyObservations?.Observations),
    finding_type: orNull(summary?.FindingType), investigation_type: orNull(inv.Scope?.InvestigationType),
    finding_id: orNull(inv.Scope?.FindingId), finding_ids: [...findingIds],
    mitre_techniques: mitre, threat_actor_profile: orNull(summary?.ThreatAssessment?.ThreatActorProfile),
    start_time: orNull(inv.StartTime), end_time: orNull(inv.EndTime),
    query_window_start: orNull(inv.Scope?.QueryTimeWindow?.StartTime), query_window_end: orNull(inv.Scope?.QueryTimeWindow?.EndTime),
    error: orNull(inv.Error), investigation_json: JSON.stringify(inv),
    captured_at: ctx.capturedAt, run_id: ctx.runId,
  };
}

/** One investigation_records row per record. */
export function investigationRecordRows(
  investigationId: string,
  status: InvestigationStatus | undefined,
  records: readonly InvestigationRecord[],
  ctx: TableRowContext,
): Row[] {
  return records.map((r) => ({
    investigation_id: investigationId, record_id: r.RecordId ?? '',
    source_account_id: ctx.sourceAccountId, region: ctx.region, detector_id: ctx.detectorId,
    investigation_status: orNull(status), type: orNull(r.Type), title: orNull(r.Title), narrative: orNull(r.Narrative),
    created_at: orNull(r.CreatedAt), supporting_data_json: json(r.SupportingData),
    captured_at: ctx.capturedAt, run_id: ctx.runId,
  }));
}
