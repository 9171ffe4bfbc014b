/** GetFindingsStatistics over finding metadata: GroupBy SEVERITY/FINDING_TYPE/ACCOUNT/RESOURCE/DATE, or COUNT_BY_SEVERITY. */
import { badRequest } from './errors.js';
import type { FindingMeta } from './types.js';

type Wire = Record<string, unknown>;
const DAY_MS = 86_400_000;

export const GROUP_BY = {
  SEVERITY: 'groupedBySeverity',
  FINDING_TYPE: 'groupedByFindingType',
  ACCOUNT: 'groupedByAccount',
  RESOURCE: 'groupedByResource',
  DATE: 'groupedByDate',
} as const;
export type GroupBy = keyof typeof GROUP_BY;

interface Group {
  key: string;
  total: number;
  last: number;
  maxSeverity: number;
  sample: FindingMeta;
}

function keyOf(groupBy: GroupBy, m: FindingMeta): string {
  switch (groupBy) {
    case 'SEVERITY': return String(m.severity);
    case 'FINDING_TYPE': return m.type;
    case 'ACCOUNT': return m.accountId;
    case 'RESOURCE': return `${m.accountId}\u0000${m.resourceType}\u0000${m.resourceId}`;
    case 'DATE': return String(Math.floor(m.updatedAt / DAY_MS) * DAY_MS);
  }
}

function row(groupBy: GroupBy, g: Group): Wire {
  const common = { lastGeneratedAt: g.last / 1000, totalFindings: g.total };
  switch (groupBy) {
    case 'SEVERITY': return { ...common, severity: g.sample.severity };
    case 'FINDING_TYPE': return { ...common, findingType: g.sample.type };
    case 'ACCOUNT': return { ...common, accountId: g.sample.accountId };
    case 'RESOURCE': return { ...common, accountId: g.sample.accountId, resourceId: g.sample.resourceId, resourceType: g.sample.resourceType };
    case 'DATE': return { ...common, date: Number(g.key) / 1000, severity: g.maxSeverity };
  }
}

export interface StatisticsRequest {
  groupBy?: string;
  orderBy?: string;
  maxResults?: number;
  findingStatisticTypes?: string[];
}

/** The `findingStatistics` wire object; throws BadRequestException on an invalid combination. */
export function findingStatistics(metas: Iterable<FindingMeta>, req: StatisticsRequest): Wire {
  const types = req.findingStatisticTypes ?? [];
  if (req.groupBy !== undefined && types.length > 0) {
    throw badRequest('The request is rejected because groupBy and findingStatisticTypes cannot be specified together.');
  }
  if (req.groupBy === undefined) {
    if (types.length === 0) throw badRequest('The request is rejected because either groupBy or findingStatisticTypes is required.');
    if (types.some((t) => t !== 'COUNT_BY_SEVERITY')) throw badRequest('The request is rejected because findingStatisticTypes must be COUNT_BY_SEVERITY.');
    if (req.maxResults !== undefined) throw badRequest('The request is rejected because maxResults can only be used with groupBy.');
    const counts: Record<string, number> = {};
    for (const m of metas) counts[String(m.severity)] = (counts[String(m.severity)] ?? 0) + 1;
    return { countBySeverity: counts };
  }
  if (!(req.groupBy in GROUP_BY)) throw badRequest(`The request is rejected because groupBy ${req.groupBy} is not one of ${Object.keys(GROUP_BY).join(', ')}.`);
  if (req.orderBy !== undefined && req.orderBy !== 'ASC' && req.orderBy !== 'DESC') throw badRequest('The request is rejected because orderBy must be ASC or DESC.');
  const max = req.maxResults ?? 25;
  if (!Number.isInteger(max) || max < 1 || max > 100) throw badRequest('The request is rejected because maxResults must be between 1 and 100.');
  const groupBy = req.groupBy as GroupBy;
  const groups = new Map<string, Group>();
  for (const m of metas) {
    const key = keyOf(groupBy, m);
    const g = groups.get(key);
    if (g) {
      g.total++;
      g.last = Math.max(g.last, m.updatedAt);
      g.maxSeverity = Math.max(g.maxSeverity, m.severity);
    } else {
      groups.set(key, { key, total: 1, last: m.updatedAt, maxSeverity: m.severity, sample: m });
    }
  }
  const dir = req.orderBy === 'ASC' ? 1 : -1;
  const sorted = [...groups.values()].sort((a, b) => (a.total - b.total) * dir || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { [GROUP_BY[groupBy]]: sorted.slice(0, max).map((g) => row(groupBy, g)) };
}
