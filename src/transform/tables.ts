/**
 * Table specs of every lake table. `findings` comes from the generated column list plus derived columns;
 * the other tables are small and written by hand from the SDK response types.
 */
import { FINDING_MODEL_COLUMNS } from './columns.generated.js';
import type { AthenaType, ColumnSpec, TableName, TableSpec } from './types.js';

function derived(name: string, type: AthenaType, doc: string, nullable = true): ColumnSpec {
  return { name, type, path: [], nullable, doc };
}

/** Columns added by guardduty-lake to every finding row (not in the SDK model). */
export const FINDING_DERIVED_COLUMNS: readonly ColumnSpec[] = [
  derived('severity_label', 'string', 'Low (1.0–3.9), Medium (4.0–6.9), High (7.0–8.9) or Critical (9.0–10.0) from severity'),
  derived('finding_family', 'string', 'Text of type before the first ":" (e.g. UnauthorizedAccess)'),
  derived('resource_id', 'string', 'Most specific identifier of the affected resource (instance id, access key id, bucket name, cluster name, DB id, function name, …); null if none'),
  derived('source_account_id', 'string', 'Account whose detector returned the finding (administrator or member)', false),
  derived('detector_id', 'string', 'Detector that returned the finding', false),
  derived('exported_at', 'timestamp', 'When guardduty-lake wrote the row (UTC)', false),
  derived('run_id', 'string', 'guardduty-lake run that wrote the row', false),
  derived('finding_json', 'string', 'The finding as received (JSON text), for anything not flattened', false),
];

export const FINDINGS_TABLE: TableSpec = {
  name: 'findings',
  columns: [...FINDING_MODEL_COLUMNS, ...FINDING_DERIVED_COLUMNS],
  partitionKeys: ['dt'],
};

function col(name: string, type: AthenaType, path: readonly string[], doc: string, nullable = true): ColumnSpec {
  return { name, type, path, nullable, doc };
}

/**
 * One row per GetFindingsStatistics group. `group_by` is `COUNT_BY_SEVERITY` (legacy map) or one of
 * `ACCOUNT`, `DATE`, `FINDING_TYPE`, `RESOURCE`, `SEVERITY` (the `GroupedBy*` lists);
 * `group_key` is the group's key as text (severity "5.0", account id, date, type, resource id).
 */
export const FINDING_STATISTICS_TABLE: TableSpec = {
  name: 'finding_statistics',
  columns: [
    col('source_account_id', 'string', [], 'Account whose detector was asked', false),
    col('region', 'string', [], 'Region of the detector', false),
    col('detector_id', 'string', [], 'Detector asked', false),
    col('group_by', 'string', [], 'COUNT_BY_SEVERITY, ACCOUNT, DATE, FINDING_TYPE, RESOURCE or SEVERITY', false),
    col('group_key', 'string', [], 'The group key as text', false),
    col('account_id', 'string', ['AccountId'], 'Account of the group (ACCOUNT, RESOURCE)'),
    col('date', 'timestamp', ['Date'], 'Day of the group (DATE)'),
    col('finding_type', 'string', ['FindingType'], 'Finding type of the group (FINDING_TYPE)'),
    col('resource_id', 'string', ['ResourceId'], 'Resource of the group (RESOURCE)'),
    col('resource_type', 'string', ['ResourceType'], 'Resource type of the group (RESOURCE)'),
    col('severity', 'double', ['Severity'], 'Severity of the group (COUNT_BY_SEVERITY, SEVERITY; highest severity for DATE)'),
    col('count', 'bigint', ['TotalFindings'], 'Number of findings in the group', false),
    col('last_generated_at', 'timestamp', ['LastGeneratedAt'], 'Most recent finding in the group'),
    col('window_start', 'timestamp', [], 'Start of the window the statistics were asked for (null: all time)'),
    col('window_end', 'timestamp', [], 'End of the window the statistics were asked for'),
    col('captured_at', 'timestamp', [], 'When the statistics were read', false),
    col('run_id', 'string', [], 'guardduty-lake run that wrote the row', false),
  ],
  partitionKeys: ['dt'],
};

/** One row per GetInvestigation response (GuardDuty AI investigation). */
export const INVESTIGATIONS_TABLE: TableSpec = {
  name: 'investigations',
  columns: [
    col('investigation_id', 'string', ['InvestigationId'], 'Investigation id', false),
    col('source_account_id', 'string', [], 'Account whose detector returned the investigation', false),
    col('region', 'string', [], 'Region of the detector', false),
    col('detector_id', 'string', [], 'Detector that returned the investigation', false),
    col('account_id', 'string', ['Scope', 'AccountId'], 'Account investigated'),
    col('admin_account_id', 'string', ['Scope', 'AdminAccountId'], 'Administrator account of the scope'),
    col('status', 'string', ['Status'], 'Investigation status'),
    col('triggered_by', 'string', ['TriggeredBy'], 'What started the investigation'),
    col('trigger_prompt', 'string', ['TriggerPrompt'], 'Prompt that started the investigation'),
    col('risk_level', 'string', ['RiskLevel'], 'Risk level'),
    col('risk', 'string', ['Risk'], 'Risk'),
    col('confidence', 'string', ['Confidence'], 'Confidence of the assessment (text in the model)'),
    col('title', 'string', ['SummaryData', 'KeyObservations', 'Title'], 'Title of the key observations'),
    col('summary', 'string', ['Summary'], 'Summary'),
    col('narrative', 'string', ['SummaryData', 'KeyObservations', 'Narrative'], 'Narrative of the key observations'),
    col('observations', 'array<string>', ['SummaryData', 'KeyObservations', 'Observations'], 'Key observations'),
    col('finding_type', 'string', ['SummaryData', 'FindingType'], 'Finding type investigated'),
    col('investigation_type', 'string', ['Scope', 'InvestigationType'], 'Scope type'),
    col('finding_id', 'string', ['Scope', 'FindingId'], 'Finding the investigation was started for'),
    col('finding_ids', 'array<string>', [], 'Scope finding id plus every finding referenced by the attack progression'),
    col('mitre_techniques', 'array<struct<phase:string,tactic_uid:string,tactic_name:string,technique_uid:string,technique_name:string>>', ['SummaryData', 'ThreatAssessment', 'AttackProgression'], 'MITRE ATT&CK tactics/techniques of the attack progression'),
    col('threat_actor_profile', 'string', ['SummaryData', 'ThreatAssessment', 'ThreatActorProfile'], 'Threat actor profile'),
    col('start_time', 'timestamp', ['StartTime'], 'Investigation start'),
    col('end_time', 'timestamp', ['EndTime'], 'Investigation end'),
    col('query_window_start', 'timestamp', ['Scope', 'QueryTimeWindow', 'StartTime'], 'Start of the investigated window'),
    col('query_window_end', 'timestamp', ['Scope', 'QueryTimeWindow', 'EndTime'], 'End of the investigated window'),
    col('error', 'string', ['Error'], 'Error, if the investigation failed'),
    col('investigation_json', 'string', [], 'The GetInvestigation Investigation object as received (JSON text)', false),
    col('captured_at', 'timestamp', [], 'When the investigation was read', false),
    col('run_id', 'string', [], 'guardduty-lake run that wrote the row', false),
  ],
  partitionKeys: ['dt'],
};

/** One row per ListInvestigationRecords record. */
export const INVESTIGATION_RECORDS_TABLE: TableSpec = {
  name: 'investigation_records',
  columns: [
    col('investigation_id', 'string', ['InvestigationId'], 'Investigation the record belongs to', false),
    col('record_id', 'string', ['RecordId'], 'Record id', false),
    col('source_account_id', 'string', [], 'Account whose detector returned the record', false),
    col('region', 'string', [], 'Region of the detector', false),
    col('detector_id', 'string', [], 'Detector that returned the record', false),
    col('investigation_status', 'string', ['Status'], 'Investigation status when the records were listed'),
    col('type', 'string', ['Type'], 'Record type'),
    col('title', 'string', ['Title'], 'Record title'),
    col('narrative', 'string', ['Narrative'], 'Record narrative'),
    col('created_at', 'timestamp', ['CreatedAt'], 'When the record was created'),
    col('supporting_data_json', 'string', ['SupportingData'], 'Supporting data (fetch/analysis/observation/metadata) as JSON text'),
    col('captured_at', 'timestamp', [], 'When the records were read', false),
    col('run_id', 'string', [], 'guardduty-lake run that wrote the row', false),
  ],
  partitionKeys: ['dt'],
};

export const TABLES: Readonly<Record<TableName, TableSpec>> = {
  findings: FINDINGS_TABLE,
  finding_statistics: FINDING_STATISTICS_TABLE,
  investigations: INVESTIGATIONS_TABLE,
  investigation_records: INVESTIGATION_RECORDS_TABLE,
};
