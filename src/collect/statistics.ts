/**
 * Findings statistics of one slice: GetFindingsStatistics once per GroupBy (SEVERITY, FINDING_TYPE,
 * ACCOUNT, RESOURCE, DATE) over the statistics window. GuardDuty returns at most 100 groups per
 * call and does not paginate statistics.
 */
import {
  GetFindingsStatisticsCommand,
  type FindingStatistics,
  type GroupByType,
  type GuardDutyClient,
} from '@aws-sdk/client-guardduty';
import { translateAwsError } from './errors.js';
import { findingCriteria, type FindingQuery } from './findings.js';

export const STATISTICS_GROUP_BY = ['SEVERITY', 'FINDING_TYPE', 'ACCOUNT', 'RESOURCE', 'DATE'] as const satisfies readonly GroupByType[];
export type StatisticsGroupBy = (typeof STATISTICS_GROUP_BY)[number];

/** GuardDuty's limit on groups per GetFindingsStatistics call. */
export const STATISTICS_MAX_RESULTS = 100;

export interface StatisticsResult {
  readonly groupBy: StatisticsGroupBy;
  readonly statistics: FindingStatistics;
}

export type StatisticsQuery = Pick<FindingQuery, 'detectorId' | 'window' | 'includeArchived' | 'accountIds'>;

export async function fetchStatistics(client: GuardDutyClient, query: StatisticsQuery, where: string): Promise<StatisticsResult[]> {
  const criteria = findingCriteria(query);
  return Promise.all(STATISTICS_GROUP_BY.map(async (groupBy) => {
    try {
      const out = await client.send(new GetFindingsStatisticsCommand({
        DetectorId: query.detectorId,
        FindingCriteria: criteria,
        GroupBy: groupBy,
        OrderBy: 'DESC',
        MaxResults: STATISTICS_MAX_RESULTS,
      }));
      return { groupBy, statistics: out.FindingStatistics ?? {} };
    } catch (error) {
      throw translateAwsError(error, `guardduty:GetFindingsStatistics(${groupBy}) ${where}`);
    }
  }));
}

/** Number of groups in a result (one lake row each). */
export function groupCount(result: StatisticsResult): number {
  const s = result.statistics;
  const lists = { SEVERITY: s.GroupedBySeverity, FINDING_TYPE: s.GroupedByFindingType, ACCOUNT: s.GroupedByAccount, RESOURCE: s.GroupedByResource, DATE: s.GroupedByDate };
  return lists[result.groupBy]?.length ?? 0;
}
