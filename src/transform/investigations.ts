/** GetInvestigation / ListInvestigationRecords responses → `investigations` / `investigation_records` rows. */
import type { Investigation, ListInvestigationRecordsResponse } from '@aws-sdk/client-guardduty';
import { MalformedRecordError } from './errors.js';
import { emptyRow, field, list, text, timestamp } from './records.js';
import { INVESTIGATIONS_TABLE, INVESTIGATION_RECORDS_TABLE } from './tables.js';
import type { Row } from './types.js';

export interface InvestigationContext {
  readonly sourceAccountId: string;
  readonly region: string;
  readonly detectorId: string;
  readonly runId: string;
  readonly capturedAt: Date;
}

interface MitreTechnique { phase: string | null; tactic_uid: string | null; tactic_name: string | null; technique_uid: string | null; technique_name: string | null }

function mitreTechniques(progression: unknown): MitreTechnique[] {
  const out: MitreTechnique[] = [];
  for (const phase of list(progression)) {
    for (const attack of list(field(phase, 'Attacks'))) {
      const tactic = field(attack, 'Tactic');
      const technique = field(attack, 'Technique');
      out.push({
        phase: text(field(phase, 'Phase')),
        tactic_uid: text(field(tactic, 'Uid')), tactic_name: text(field(tactic, 'Name')),
        technique_uid: text(field(technique, 'Uid')), technique_name: text(field(technique, 'Name')),
      });
    }
  }
  return out;
}

function findingIds(scopeFindingId: string | null, progression: unknown): string[] {
  const ids = new Set<string>();
  if (scopeFindingId) ids.add(scopeFindingId);
  for (const phase of list(progression)) {
    for (const attack of list(field(phase, 'Attacks'))) {
      for (const ref of list(field(attack, 'Findings'))) {
        const uid = text(field(ref, 'Uid'));
        if (uid) ids.add(uid);
      }
    }
  }
  return [...ids];
}

function stringList(v: unknown): string[] | null {
  return Array.isArray(v) ? v.map((x) => text(x)).filter((x): x is string => x !== null) : null;
}

/** One `investigations` row from GetInvestigation's `Investigation`. Throws MalformedRecordError without an id. */
export function investigationRow(investigation: Investigation | Record<string, unknown>, ctx: InvestigationContext): Row {
  const id = text(field(investigation, 'InvestigationId'));
  if (!id) throw new MalformedRecordError('missing InvestigationId', { kind: 'investigation' });
  const scope = field(investigation, 'Scope');
  const summary = field(investigation, 'SummaryData');
  const key = field(summary, 'KeyObservations');
  const threat = field(summary, 'ThreatAssessment');
  const progression = field(threat, 'AttackProgression');
  const window = field(scope, 'QueryTimeWindow');
  const cloud = field(investigation, 'Cloud');
  const scopeFindingId = text(field(scope, 'FindingId'));
  const row = emptyRow(INVESTIGATIONS_TABLE);
  row['investigation_id'] = id;
  row['source_account_id'] = ctx.sourceAccountId;
  row['region'] = ctx.region;
  row['detector_id'] = ctx.detectorId;
  row['account_id'] = text(field(scope, 'AccountId')) ?? text(field(cloud, 'Account'));
  row['admin_account_id'] = text(field(scope, 'AdminAccountId'));
  row['status'] = text(field(investigation, 'Status'));
  row['triggered_by'] = text(field(investigation, 'TriggeredBy'));
  row['trigger_prompt'] = text(field(investigation, 'TriggerPrompt'));
  row['risk_level'] = text(field(investigation, 'RiskLevel'));
  row['risk'] = text(field(investigation, 'Risk'));
  row['confidence'] = text(field(investigation, 'Confidence'));
  row['title'] = text(field(key, 'Title'));
  row['summary'] = text(field(investigation, 'Summary'));
  row['narrative'] = text(field(key, 'Narrative'));
  row['observations'] = stringList(field(key, 'Observations'));
  row['finding_type'] = text(field(summary, 'FindingType'));
  row['investigation_type'] = text(field(scope, 'InvestigationType'));
  row['finding_id'] = scopeFindingId;
  row['finding_ids'] = findingIds(scopeFindingId, progression);
  row['mitre_techniques'] = mitreTechniques(progression);
  row['threat_actor_profile'] = text(field(threat, 'ThreatActorProfile'));
  row['start_time'] = timestamp(field(investigation, 'StartTime'));
  row['end_time'] = timestamp(field(investigation, 'EndTime'));
  row['query_window_start'] = timestamp(field(window, 'StartTime'));
  row['query_window_end'] = timestamp(field(window, 'EndTime'));
  row['error'] = text(field(investigation, 'Error'));
  row['investigation_json'] = JSON.stringify(investigation);
  row['captured_at'] = ctx.capturedAt;
  row['run_id'] = ctx.runId;
  return row;
}

/** One `investigation_records` row per record of a ListInvestigationRecords page. Throws MalformedRecordError for a record without an id. */
export function investigationRecordRows(response: ListInvestigationRecordsResponse | Record<string, unknown>, ctx: InvestigationContext): Row[] {
  const investigationId = text(field(response, 'InvestigationId'));
  if (!investigationId) throw new MalformedRecordError('missing InvestigationId', { kind: 'investigation records page' });
  const status = text(field(response, 'Status'));
  return list(field(response, 'Records')).map((record) => {
    const recordId = text(field(record, 'RecordId'));
    if (!recordId) throw new MalformedRecordError('missing RecordId', { kind: 'investigation record' });
    const supporting = field(record, 'SupportingData');
    const row = emptyRow(INVESTIGATION_RECORDS_TABLE);
    row['investigation_id'] = investigationId;
    row['record_id'] = recordId;
    row['source_account_id'] = ctx.sourceAccountId;
    row['region'] = ctx.region;
    row['detector_id'] = ctx.detectorId;
    row['investigation_status'] = status;
    row['type'] = text(field(record, 'Type'));
    row['title'] = text(field(record, 'Title'));
    row['narrative'] = text(field(record, 'Narrative'));
    row['created_at'] = timestamp(field(record, 'CreatedAt'));
    row['supporting_data_json'] = supporting === undefined || supporting === null ? null : JSON.stringify(supporting);
    row['captured_at'] = ctx.capturedAt;
    row['run_id'] = ctx.runId;
    return row;
  });
}
