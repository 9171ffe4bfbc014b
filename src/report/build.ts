/** Builds the WeeklyReport model from the lake: pass 1 (index), aggregates, pass 2 (details), manifests, investigations. */
import type { LakeStore } from '../lake/types.js';
import { aggregate } from './aggregate.js';
import { coverage, readManifests, readQuarantine } from './coverage.js';
import { attackSequence, findingLine, readDetails } from './details.js';
import { scanFindings } from './finding-index.js';
import { readInvestigations } from './investigations.js';
import { weeklyQueries } from './queries.js';
import { safeText } from './text.js';
import type { Sla, WeeklyReport } from './types.js';
import { DAY_MS, isoDate, weeksEndingWith, type IsoWeek } from './week.js';

export interface BuildOptions {
  readonly week: IsoWeek;
  /** Rows in each list. @default 10 */
  readonly top?: number;
  /** @default 'GuardDuty weekly report' */
  readonly title?: string;
  /** @default critical 1, high 7, medium 30, low none */
  readonly sla?: Sla;
  /** Weeks in the trend chart. @default 8 */
  readonly trendWeeks?: number;
  /**
   * Generation time, epoch ms: printed in the header and the cut-off for run manifests (freshness,
   * coverage, account names include runs after the week's end, but none started at or after `now`).
   * @default Date.now()
   */
  readonly now?: number;
  /** Called as finding rows are read (the count so far), for a progress line. */
  readonly onProgress?: (rowsRead: number) => void;
}

export const DEFAULT_SLA: Sla = { critical: 1, high: 7, medium: 30, low: undefined };

export async function buildWeeklyReport(store: LakeStore, options: BuildOptions): Promise<WeeklyReport> {
  const top = options.top ?? 10;
  const sla = options.sla ?? DEFAULT_SLA;
  const week = options.week;
  const now = options.now ?? Date.now();
  const weeks = weeksEndingWith(week, options.trendWeeks ?? 8);

  const index = await scanFindings(store, week.end, options.onProgress);
  const agg = aggregate(index, weeks, sla, top);
  const manifests = await readManifests(store, now);
  const names = manifests.names;
  const nameOf = (id: string): string => safeText(names.get(id) ?? '', 60);

  const listed = new Set([...agg.newHighCritical.slots, ...agg.ageing.slots, ...agg.attackSequences.slots]);
  const details = await readDetails(store, index, listed, new Set(agg.attackSequences.slots));
  const line = (s: number) => findingLine(index, s, details.get(s), names, week.end);
  const slaDays = (label: string): number => sla[label.toLowerCase() as keyof Sla] ?? 0;

  const quarantine = await readQuarantine(store, week, top);
  const investigations = await readInvestigations(store, week, names, top);

  return {
    title: safeText(options.title ?? 'GuardDuty weekly report', 200),
    week: week.label,
    weekStart: isoDate(week.start),
    weekEnd: isoDate(week.end - DAY_MS),
    generatedAt: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    tiles: agg.tiles,
    trend: agg.trend,
    topTypes: agg.topTypes.map((t) => ({ ...t, type: safeText(t.type, 100) })),
    topAccounts: agg.topAccounts.map((a) => ({ ...a, accountId: safeText(a.accountId, 20), accountName: nameOf(a.accountId) })),
    topResources: agg.topResources.map((r) => ({
      ...r,
      resourceId: safeText(r.resourceId, 80),
      resourceType: safeText(r.resourceType, 40),
      accountId: safeText(r.accountId, 20),
      accountName: nameOf(r.accountId),
    })),
    newHighCritical: { rows: agg.newHighCritical.slots.map(line), total: agg.newHighCritical.total, more: agg.newHighCritical.total - agg.newHighCritical.slots.length },
    ageing: {
      overdue: agg.ageing.overdue,
      rows: agg.ageing.slots.map((s) => {
        const l = line(s);
        return { ...l, overdueDays: l.ageDays - slaDays(l.label) };
      }),
      total: agg.ageing.total,
      more: agg.ageing.total - agg.ageing.slots.length,
      sla,
    },
    investigations,
    attackSequences: {
      rows: agg.attackSequences.slots.map((s) => attackSequence(line(s), details.get(s), 10)),
      total: agg.attackSequences.total,
      more: agg.attackSequences.total - agg.attackSequences.slots.length,
    },
    coverage: coverage(manifests, week, quarantine, top),
    totals: { rowsRead: index.rowsRead, distinctFindings: index.size, activeThisWeek: agg.activeThisWeek, malformedRows: index.malformedRows },
    queries: weeklyQueries(weeks, sla, top),
    top,
  };
}
