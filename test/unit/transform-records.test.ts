import { describe, expect, it } from 'vitest';
import { statisticsRows, type StatisticsContext } from '../../src/transform/statistics.js';
import { investigationRecordRows, investigationRow, type InvestigationContext } from '../../src/transform/investigations.js';
import { MalformedRecordError } from '../../src/transform/errors.js';
import { FINDING_STATISTICS_TABLE, INVESTIGATIONS_TABLE, INVESTIGATION_RECORDS_TABLE } from '../../src/transform/tables.js';
import { fixtureDocuments } from '../helpers/fixtures.js';
import { makeGroupedStatistics, makeInvestigation, makeInvestigationRecords } from '../helpers/investigations.js';

const statsCtx: StatisticsContext = {
  sourceAccountId: '123456789012', region: 'us-east-1', detectorId: 'det', runId: 'run', capturedAt: new Date('2025-06-02T00:00:00Z'),
  windowStart: new Date('2025-06-01T00:00:00Z'), windowEnd: new Date('2025-06-02T00:00:00Z'),
};
const invCtx: InvestigationContext = { sourceAccountId: '123456789012', region: 'us-east-1', detectorId: 'det', runId: 'run', capturedAt: new Date('2025-06-02T02:00:00Z') };

describe('statisticsRows', () => {
  it('maps the real CountBySeverity responses (severity keys are float strings)', () => {
    // Prepare
    const [first] = fixtureDocuments('spreaker-guardduty-exporter-stats-sdk.jsonl') as Array<Record<string, unknown>>;
    // Act
    const rows = statisticsRows(first ?? {}, statsCtx);
    // Assess
    expect(rows.map((r) => [r['group_by'], r['group_key'], r['severity'], r['count']])).toEqual([
      ['COUNT_BY_SEVERITY', '2.0', 2, 1n], ['COUNT_BY_SEVERITY', '4.0', 4, 2n], ['COUNT_BY_SEVERITY', '7.0', 7, 3n],
    ]);
    for (const r of rows) expect(Object.keys(r).sort()).toEqual(FINDING_STATISTICS_TABLE.columns.map((c) => c.name).sort());
  });

  it.each([
    ['ACCOUNT', '123456789012', { account_id: '123456789012', count: 10n }],
    ['DATE', '2025-06-01', { date: new Date('2025-06-01T00:00:00Z'), severity: 8, count: 4n }],
    ['FINDING_TYPE', 'Recon:EC2/PortProbeUnprotectedPort', { finding_type: 'Recon:EC2/PortProbeUnprotectedPort', count: 7n }],
    ['RESOURCE', 'i-0abc', { resource_id: 'i-0abc', resource_type: 'AWS::EC2::Instance', account_id: '123456789012', count: 3n }],
    ['SEVERITY', '5.0', { severity: 5, count: 2n }],
  ])('maps GroupedBy %s', (groupBy, key, expected) => {
    // Act
    const row = statisticsRows(makeGroupedStatistics(), statsCtx).find((r) => r['group_by'] === groupBy);
    // Assess
    expect(row).toMatchObject({ group_key: key, ...expected, last_generated_at: new Date('2025-06-01T10:00:00Z'), window_start: statsCtx.windowStart, run_id: 'run', region: 'us-east-1' });
  });

  it('rejects a group without a count', () => {
    expect(() => statisticsRows({ FindingStatistics: { GroupedByAccount: [{ AccountId: '1' }] } }, statsCtx)).toThrow(MalformedRecordError);
  });

  it('returns no rows for an empty response', () => {
    expect(statisticsRows({}, statsCtx)).toEqual([]);
  });
});

describe('investigationRow', () => {
  it('maps ids, assessment, MITRE techniques, finding ids and timestamps', () => {
    // Act
    const row = investigationRow(makeInvestigation(), invCtx);
    // Assess
    expect(row).toMatchObject({
      investigation_id: 'inv-0001', account_id: '123456789012', admin_account_id: '999999999999', status: 'COMPLETED',
      risk_level: 'HIGH', confidence: 'MEDIUM', title: 'SSH brute force succeeded', finding_type: 'UnauthorizedAccess:EC2/SSHBruteForce',
      finding_id: 'f-1', finding_ids: ['f-1', 'f-2'], observations: ['1,000 attempts', 'one success'],
      mitre_techniques: [{ phase: 'InitialAccess', tactic_uid: 'TA0006', tactic_name: 'Credential Access', technique_uid: 'T1110', technique_name: 'Brute Force' }],
      start_time: new Date('2025-06-02T01:00:00Z'), query_window_end: new Date('2025-06-02T00:00:00Z'),
      detector_id: 'det', source_account_id: '123456789012', region: 'us-east-1',
    });
    expect(JSON.parse(row['investigation_json'] as string)).toMatchObject({ InvestigationId: 'inv-0001' });
    expect(Object.keys(row).sort()).toEqual(INVESTIGATIONS_TABLE.columns.map((c) => c.name).sort());
  });

  it('rejects an investigation without an id', () => {
    expect(() => investigationRow(makeInvestigation({ InvestigationId: undefined }), invCtx)).toThrow('missing InvestigationId');
  });
});

describe('investigationRecordRows', () => {
  it('maps each record', () => {
    // Act
    const rows = investigationRecordRows(makeInvestigationRecords(), invCtx);
    // Assess
    expect(rows.map((r) => [r['investigation_id'], r['record_id'], r['type'], r['created_at']])).toEqual([
      ['inv-0001', 'r-1', 'ANALYSIS', new Date('2025-06-02T01:01:00Z')],
      ['inv-0001', 'r-2', 'OBSERVATION', new Date('2025-06-02T01:02:00Z')],
    ]);
    for (const r of rows) expect(Object.keys(r).sort()).toEqual(INVESTIGATION_RECORDS_TABLE.columns.map((c) => c.name).sort());
  });

  it('rejects a record without an id', () => {
    const page = makeInvestigationRecords({ Records: [{ Type: 'ANALYSIS', Title: 't', CreatedAt: new Date() } as never] });
    expect(() => investigationRecordRows(page, invCtx)).toThrow('missing RecordId');
  });
});
