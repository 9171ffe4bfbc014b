/** The weekly report's model: what the aggregation produces and the templates render. */

export const SEVERITY_LABELS = ['Critical', 'High', 'Medium', 'Low'] as const;
export type SeverityLabel = (typeof SEVERITY_LABELS)[number];
export type BySeverity = Record<SeverityLabel, number>;

/** GuardDuty's bands: Low 1.0–3.9, Medium 4.0–6.9, High 7.0–8.9, Critical 9.0–10.0. */
export function severityLabel(severity: number): SeverityLabel {
  if (severity >= 9) return 'Critical';
  if (severity >= 7) return 'High';
  if (severity >= 4) return 'Medium';
  return 'Low';
}

export const emptyBySeverity = (): BySeverity => ({ Critical: 0, High: 0, Medium: 0, Low: 0 });

/** Days a finding may stay open per severity; undefined = no SLA. */
export type Sla = Record<'critical' | 'high' | 'medium' | 'low', number | undefined>;

export interface SeverityTile {
  readonly label: SeverityLabel;
  /** Findings first created (created_at) this week, by their latest severity. */
  readonly newThisWeek: number;
  readonly newPreviousWeek: number;
  /** newThisWeek − newPreviousWeek */
  readonly change: number;
  /** Not archived at week end (latest version as of week end), created before week end. */
  readonly openAtEnd: number;
}

export interface TrendWeek {
  readonly week: string;
  readonly counts: BySeverity;
  readonly total: number;
}

export interface TopType {
  readonly type: string;
  readonly total: number;
  readonly counts: BySeverity;
  readonly maxSeverity: SeverityLabel;
}

export interface TopAccount {
  readonly accountId: string;
  readonly accountName: string;
  readonly total: number;
  readonly counts: BySeverity;
}

export interface TopResource {
  readonly resourceId: string;
  readonly resourceType: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly total: number;
  readonly maxSeverity: SeverityLabel;
}

/** One finding as shown in a list; every text field already passed through safeText. */
export interface FindingLine {
  readonly id: string;
  readonly severity: number;
  readonly label: SeverityLabel;
  readonly type: string;
  readonly title: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly region: string;
  readonly resourceType: string;
  readonly resourceId: string;
  /** ISO instants (UTC), '' when unknown. */
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly createdAt: string;
  readonly count: number;
  /** Whole days open at week end. */
  readonly ageDays: number;
  /** Days past its SLA at week end (ageing list only). */
  readonly overdueDays?: number;
}

export interface Technique {
  readonly id: string;
  readonly name: string;
}

export interface AttackSequence extends FindingLine {
  readonly description: string;
  readonly signals: ReadonlyArray<{ name: string; type: string; description: string; count: number; firstSeen: string; lastSeen: string }>;
  readonly signalsMore: number;
  readonly techniques: readonly Technique[];
}

export interface InvestigationLine {
  readonly id: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly region: string;
  readonly status: string;
  readonly riskLevel: string;
  readonly confidence: string;
  /** The investigation's summary (or key-observations title when there is none). */
  readonly title: string;
  /** Narrative of the key observations. */
  readonly summary: string;
  readonly findingType: string;
  readonly startedAt: string;
  readonly records: ReadonlyArray<{ type: string; title: string; narrative: string }>;
  readonly recordsMore: number;
  readonly techniques: readonly Technique[];
}

export interface SliceLine {
  readonly accountId: string;
  readonly accountName: string;
  readonly region: string;
  readonly status: string;
  readonly error: string;
}

export interface Coverage {
  readonly runs: number;
  readonly accounts: number;
  readonly regions: number;
  readonly slices: number;
  readonly okSlices: number;
  /** Slices whose latest status in the week is not ok, by status. */
  readonly gapsByStatus: ReadonlyArray<{ status: string; count: number }>;
  readonly gaps: readonly SliceLine[];
  readonly gapsTotal: number;
  readonly gapsMore: number;
  /** Slices that failed in any run of the week. */
  readonly failed: readonly SliceLine[];
  readonly failedTotal: number;
  readonly failedMore: number;
  readonly quarantined: number;
  readonly quarantineReasons: ReadonlyArray<{ reason: string; count: number }>;
  /** ISO instant of the last export run that finished with no failed slice; '' if none. */
  readonly lastSuccessfulExport: string;
  readonly lastRun: string;
}

export interface NamedQuery {
  readonly name: string;
  readonly title: string;
  readonly sql: string;
}

export interface WeeklyReport {
  readonly title: string;
  readonly week: string;
  /** YYYY-MM-DD of Monday, and of Sunday (inclusive). */
  readonly weekStart: string;
  readonly weekEnd: string;
  readonly generatedAt: string;
  readonly tiles: readonly SeverityTile[];
  readonly trend: readonly TrendWeek[];
  readonly topTypes: readonly TopType[];
  readonly topAccounts: readonly TopAccount[];
  readonly topResources: readonly TopResource[];
  readonly newHighCritical: { rows: readonly FindingLine[]; total: number; more: number };
  readonly ageing: { overdue: BySeverity; rows: readonly FindingLine[]; total: number; more: number; sla: Sla };
  readonly investigations: { rows: readonly InvestigationLine[]; total: number; more: number };
  readonly attackSequences: { rows: readonly AttackSequence[]; total: number; more: number };
  readonly coverage: Coverage;
  readonly totals: { rowsRead: number; distinctFindings: number; activeThisWeek: number; malformedRows: number };
  readonly queries: readonly NamedQuery[];
  readonly top: number;
}
