/**
 * Aggregates of the week over the pass-1 index (latest version of each finding as of week end).
 * Definitions (the same ones queries.sql states in SQL):
 *  - new in week W: created_at in W;
 *  - open at week end: service_archived is not true;
 *  - active this week: updated_at in the report week (top types / accounts / resources);
 *  - overdue: open and (week end − created_at) > SLA days of its severity.
 */
import { FindingIndex } from './finding-index.js';
import { TopN } from './top-n.js';
import { emptyBySeverity, SEVERITY_LABELS, severityLabel, type BySeverity, type SeverityLabel, type SeverityTile, type Sla, type TrendWeek } from './types.js';
import { DAY_MS, type IsoWeek } from './week.js';

const SEV_INDEX: Record<SeverityLabel, number> = { Critical: 0, High: 1, Medium: 2, Low: 3 };
const sevIdx = (s: number): number => SEV_INDEX[severityLabel(s)];
const slaKey = ['critical', 'high', 'medium', 'low'] as const;

export interface TypeAgg { type: string; total: number; counts: BySeverity; maxSeverity: SeverityLabel }
export interface AccountAgg { accountId: string; total: number; counts: BySeverity }
export interface ResourceAgg { resourceId: string; resourceType: string; accountId: string; total: number; maxSeverity: SeverityLabel }

export interface Aggregates {
  tiles: SeverityTile[];
  trend: TrendWeek[];
  topTypes: TypeAgg[];
  topAccounts: AccountAgg[];
  topResources: ResourceAgg[];
  /** Slots of the findings to list, best first, and how many qualified. */
  newHighCritical: { slots: number[]; total: number };
  ageing: { slots: number[]; total: number; overdue: BySeverity };
  attackSequences: { slots: number[]; total: number };
  activeThisWeek: number;
}

const bySev = (a: ArrayLike<number>, base: number): BySeverity => ({
  Critical: a[base]!, High: a[base + 1]!, Medium: a[base + 2]!, Low: a[base + 3]!,
});
const maxSev = (a: ArrayLike<number>, base: number): SeverityLabel =>
  SEVERITY_LABELS.find((_, i) => a[base + i]! > 0) ?? 'Low';

export function aggregate(index: FindingIndex, weeks: readonly IsoWeek[], sla: Sla, top: number): Aggregates {
  const week = weeks[weeks.length - 1]!;
  const first = weeks[0]!;
  const c = index.cols;
  const n = index.size;
  const trend = new Float64Array(weeks.length * 4);
  const open = new Float64Array(4);
  const typeCounts = new Float64Array(index.types.size * 4);
  const accountCounts = new Float64Array(index.accounts.size * 4);
  const resourceCounts = new Uint32Array(index.resources.size);
  const resourceSev = new Uint8Array(index.resources.size).fill(4);
  const resourceSlot = new Uint32Array(index.resources.size);
  const overdue = new Float64Array(4);
  const slaMs = slaKey.map((k) => (sla[k] === undefined ? Infinity : sla[k]! * DAY_MS));

  const bySeverityThenRecent = (a: number, b: number): boolean =>
    c.severity[a]! !== c.severity[b]! ? c.severity[a]! > c.severity[b]!
      : c.updatedAt[a]! !== c.updatedAt[b]! ? c.updatedAt[a]! > c.updatedAt[b]!
        : index.idOf[a]! < index.idOf[b]!;
  const newHc = new TopN<number>(top, bySeverityThenRecent);
  const sequences = new TopN<number>(top, bySeverityThenRecent);
  const ageing = new TopN<number>(top, (a, b) => {
    const oa = week.end - c.createdAt[a]! - slaMs[sevIdx(c.severity[a]!)]!;
    const ob = week.end - c.createdAt[b]! - slaMs[sevIdx(c.severity[b]!)]!;
    return oa !== ob ? oa > ob : bySeverityThenRecent(a, b);
  });
  let active = 0;

  for (let s = 0; s < n; s++) {
    const sev = sevIdx(c.severity[s]!);
    const created = c.createdAt[s]!;
    if (created >= first.start && created < week.end) {
      const w = Math.floor((created - first.start) / (7 * DAY_MS));
      trend[w * 4 + sev]!++;
      if (w === weeks.length - 1 && sev <= 1) newHc.offer(s);
    }
    const isOpen = c.archived[s] === 0;
    if (isOpen) {
      open[sev]!++;
      if (week.end - created > slaMs[sev]!) {
        overdue[sev]!++;
        ageing.offer(s);
      }
    }
    if (c.updatedAt[s]! >= week.start) {
      active++;
      typeCounts[c.type[s]! * 4 + sev]!++;
      accountCounts[c.account[s]! * 4 + sev]!++;
      const r = c.resource[s]!;
      if (r !== FindingIndex.NONE) {
        if (resourceCounts[r] === 0) resourceSlot[r] = s;
        resourceCounts[r]!++;
        if (sev < resourceSev[r]!) resourceSev[r] = sev;
      }
      if (index.types.values[c.type[s]!]!.startsWith('AttackSequence:')) sequences.offer(s);
    }
  }

  const last = weeks.length - 1;
  const tiles: SeverityTile[] = SEVERITY_LABELS.map((label, i) => {
    const now = trend[last * 4 + i]!;
    const prev = last > 0 ? trend[(last - 1) * 4 + i]! : 0;
    return { label, newThisWeek: now, newPreviousWeek: prev, change: now - prev, openAtEnd: open[i]! };
  });

  const topTypes = new TopN<TypeAgg>(top, (a, b) => (a.total !== b.total ? a.total > b.total : a.type < b.type));
  for (let t = 0; t < index.types.size; t++) {
    const counts = bySev(typeCounts, t * 4);
    const total = counts.Critical + counts.High + counts.Medium + counts.Low;
    if (total > 0) topTypes.offer({ type: index.types.values[t]!, total, counts, maxSeverity: maxSev(typeCounts, t * 4) });
  }
  const topAccounts = new TopN<AccountAgg>(top, (a, b) => (a.total !== b.total ? a.total > b.total : a.accountId < b.accountId));
  for (let a = 0; a < index.accounts.size; a++) {
    const counts = bySev(accountCounts, a * 4);
    const total = counts.Critical + counts.High + counts.Medium + counts.Low;
    if (total > 0) topAccounts.offer({ accountId: index.accounts.values[a]!, total, counts });
  }
  const topResources = new TopN<number>(top, (a, b) =>
    resourceCounts[a]! !== resourceCounts[b]! ? resourceCounts[a]! > resourceCounts[b]! : index.resources.values[a]! < index.resources.values[b]!);
  for (let r = 0; r < index.resources.size; r++) if (resourceCounts[r]! > 0) topResources.offer(r);

  return {
    tiles,
    trend: weeks.map((w, i) => {
      const counts = bySev(trend, i * 4);
      return { week: w.label, counts, total: counts.Critical + counts.High + counts.Medium + counts.Low };
    }),
    topTypes: topTypes.sorted(),
    topAccounts: topAccounts.sorted(),
    topResources: topResources.sorted().map((r) => {
      const s = resourceSlot[r]!;
      return {
        resourceId: index.resources.values[r]!,
        resourceType: index.resourceTypes.values[c.resourceType[s]!]!,
        accountId: index.accounts.values[c.account[s]!]!,
        total: resourceCounts[r]!,
        maxSeverity: SEVERITY_LABELS[resourceSev[r]!]!,
      };
    }),
    newHighCritical: { slots: newHc.sorted(), total: newHc.seen },
    ageing: { slots: ageing.sorted(), total: ageing.seen, overdue: bySev(overdue, 0) },
    attackSequences: { slots: sequences.sorted(), total: sequences.seen },
    activeThisWeek: active,
  };
}

export { emptyBySeverity };
