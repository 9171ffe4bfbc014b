/**
 * GuardDuty AI investigations (preview regions only, see regions.ts): ListInvestigations (sorted by
 * start time, paginated), then GetInvestigation + ListInvestigationRecords for each one that is new
 * to the lake or still RUNNING.
 */
import {
  GetInvestigationCommand,
  paginateListInvestigationRecords,
  paginateListInvestigations,
  type GuardDutyClient,
  type Investigation,
  type InvestigationRecord,
  type InvestigationSummary,
} from '@aws-sdk/client-guardduty';
import { translateAwsError } from './errors.js';

export interface InvestigationDetail {
  readonly summary: InvestigationSummary;
  readonly investigation: Investigation;
  readonly records: InvestigationRecord[];
}

/** Every investigation summary of a detector, newest first. */
export async function listInvestigationSummaries(client: GuardDutyClient, detectorId: string, where: string): Promise<InvestigationSummary[]> {
  const out: InvestigationSummary[] = [];
  try {
    for await (const page of paginateListInvestigations(
      { client, pageSize: 50 },
      { DetectorId: detectorId, SortCriteria: { AttributeName: 'START_TIME', OrderBy: 'DESC' }, MaxResults: 50 },
    )) {
      out.push(...(page.Investigations ?? []));
    }
  } catch (error) {
    throw translateAwsError(error, `guardduty:ListInvestigations ${where}`);
  }
  return out;
}

/** True when the lake does not hold this investigation in a final state yet. */
export function needsFetch(summary: InvestigationSummary, finished: ReadonlySet<string>): boolean {
  if (summary.InvestigationId === undefined) return false;
  return summary.Status === 'RUNNING' || !finished.has(summary.InvestigationId);
}

/** GetInvestigation + every ListInvestigationRecords page of one investigation. */
export async function fetchInvestigation(
  client: GuardDutyClient,
  detectorId: string,
  summary: InvestigationSummary,
  where: string,
): Promise<InvestigationDetail> {
  const investigationId = summary.InvestigationId as string;
  try {
    const got = await client.send(new GetInvestigationCommand({ DetectorId: detectorId, InvestigationId: investigationId }));
    const records: InvestigationRecord[] = [];
    for await (const page of paginateListInvestigationRecords(
      { client, pageSize: 50 },
      { DetectorId: detectorId, InvestigationId: investigationId, MaxResults: 50 },
    )) {
      records.push(...(page.Records ?? []));
    }
    const investigation = got.Investigation ?? { InvestigationId: investigationId, Status: summary.Status, TriggerPrompt: summary.TriggerPrompt, TriggeredBy: undefined };
    return { summary, investigation, records };
  } catch (error) {
    throw translateAwsError(error, `guardduty:GetInvestigation ${investigationId} ${where}`);
  }
}
